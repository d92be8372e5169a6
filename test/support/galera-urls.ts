/**
 * The cluster's nodes from GALERA_URLS (comma-separated `mysql://root@127.0.0.1:<port>/`, as
 * `scripts/galera-cluster.sh up` prints them), pointed at `database` when given.
 */
export function galeraUrls(database?: string): string[] {
  const urls = (process.env.GALERA_URLS ?? '').split(',').filter(Boolean);
  if (urls.length < 3) throw new Error('GALERA_URLS must name three nodes (scripts/galera-cluster.sh up prints it)');
  return urls.map((raw) => {
    const url = new URL(raw);
    if (database) url.pathname = `/${database}`;
    return url.toString();
  });
}
