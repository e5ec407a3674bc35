import { QueryClient } from '@tanstack/react-query';

/**
 * The one react-query client: model bundles, manifests and saved runs are loaded once per
 * tab (staleTime Infinity) and a failed load is shown, not retried behind the user's back.
 */
export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: Infinity, retry: false, refetchOnWindowFocus: false } },
});
