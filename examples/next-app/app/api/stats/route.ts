import { stats } from '../counter';

export const dynamic = 'force-dynamic';

// GET /api/stats: {"ticks": requests /api/ticks has received, "open": responses still streaming}.
export function GET(): Response {
  return Response.json(stats(), { headers: { 'Cache-Control': 'no-store' } });
}
