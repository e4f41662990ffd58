import cliProgress from 'cli-progress';

/** A progress bar on stderr, or none (not a terminal, or `--json`): the summary on stdout stays clean either way. */
export function progressBar(label: string, enabled: boolean): cliProgress.SingleBar | undefined {
  return enabled ? new cliProgress.SingleBar({ format: `${label} {bar} {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
}
