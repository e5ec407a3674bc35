import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { queryClient } from '../state/queryClient.ts';

/**
 * Mantine is told not to write <style> elements (its CSS variables and global classes): the
 * studio's Content-Security-Policy allows no inline styles, and the same defaults come from
 * its stylesheet (main.tsx). Its colour scheme follows the system until the user picks one
 * (top bar), kept in localStorage.
 */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider withCssVariables={false} withGlobalClasses={false} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
