import { Api } from '../api/client';
import type { Figures, Period } from './types';

/** The administrator's figures (shared/API.md "Operations"). */
export class DashboardApi extends Api {
  metrics(period: Period): Promise<Figures> {
    const query = new URLSearchParams();
    if (period.from) query.set('from', period.from);
    if (period.to) query.set('to', period.to);
    const text = query.toString();
    return this.call('GET', `metrics${text ? `?${text}` : ''}`);
  }
}
