import { monthStart, localMonth, localDate } from '/work/main/gateway/statistics/calendar.ts';
console.log(monthStart(2026, 0).toISOString(), monthStart(2026, 3).toISOString(), monthStart(2026, 10).toISOString(), monthStart(2025, 12).toISOString());
console.log(localMonth(new Date('2025-03-31T22:30:00Z')), localDate(new Date('2026-03-31T21:00:00Z')), localDate(new Date('2026-03-31T20:59:59Z')));
