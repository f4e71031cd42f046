// The summary table: one row per figure, with the relay's same figure beside it where
// there is one, and their ratio (absolute times move with the machine's other work;
// ratios measured in the same run hold better).
import { ms, type Summary } from './stats';

export interface Row {
  backend: string;
  measure: string;
  p50: string;
  p95: string;
  p99: string;
  detail: string;
  /** the relay's figure for the same measure */
  relay: string;
  /** app ÷ relay */
  ratio: string;
  target: string;
  met: string;
}

export const rows: Row[] = [];

export const met = (ok: boolean) => (ok ? 'yes' : 'NO');
export const percentiles = (s: Summary) => ({ p50: ms(s.p50), p95: ms(s.p95), p99: ms(s.p99) });
export const noPercentiles = { p50: '', p95: '', p99: '' };
export const noRelay = { relay: '', ratio: '' };
export const ratio = (app: number, relay: number) => (Number.isFinite(app) && Number.isFinite(relay) && relay > 0 ? `${(app / relay).toFixed(1)}×` : '—');

export function addRow(row: Omit<Row, 'relay' | 'ratio' | 'p50' | 'p95' | 'p99'> & Partial<Row>): void {
  rows.push({ ...noPercentiles, ...noRelay, ...row });
}

export const HEADER = ['backend', 'measure', 'p50', 'p95', 'p99', 'detail', 'relay', 'app/relay', 'target', 'met'];
export const cells = (r: Row) => [r.backend, r.measure, r.p50, r.p95, r.p99, r.detail, r.relay, r.ratio, r.target, r.met];
