/**
 * A password typed into a flag is visible to every user of the machine in the process list (ps) for as long as
 * the command runs. The command line never needs one there (README.md, Command line), and says so when it sees one.
 */

/** The value of --pg in the arguments (`--pg URL` or `--pg=URL`), if any. */
function pgFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pg') return argv[i + 1];
    if (argv[i].startsWith('--pg=')) return argv[i].slice('--pg='.length);
  }
  return undefined;
}

/** The warning to print when --pg holds a password (in its user info or as ?password=), else undefined. */
export function argvSecretWarning(argv: readonly string[]): string | undefined {
  const value = pgFlag(argv);
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!url.password && !url.searchParams.has('password')) return undefined;
  return (
    'warning: --pg holds a password, which every user of this machine can read in the process list (ps) while ' +
    'pg2graph runs: leave it out of the URL and set PGPASSWORD, or keep it in a password file (PGPASSFILE, else ~/.pgpass)'
  );
}
