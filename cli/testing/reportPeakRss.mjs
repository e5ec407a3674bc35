// Preloaded (node --import) by cli/badInputs.test.ts: the CLI process reports its own peak
// resident memory as it exits, so the memory bound needs no /usr/bin/time on the machine.
process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
