/**
 * The Odoo dev server's call counter as benchmarks report it: the total and
 * the calls by model and method, most first (execute_kw, which every model
 * call also counts under, left out).
 */
export function odooCallsText(counts: Record<string, number>): { total: number; byMethod: string } {
  const { total, execute_kw: _all, ...byMethod } = counts;
  return {
    total: total ?? 0,
    byMethod: Object.entries(byMethod)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  };
}
