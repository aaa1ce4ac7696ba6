import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Colleagues, errorBody, ErrorBody, SupervisorView } from '../../protocol/index.js';
import { isInSession } from '../session-machine.js';
import { shownStatus, teamOf } from '../team-presence.js';
import { analystOf } from './auth.js';

export async function supervisorRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, store, team, outlook, dayStats, clock } = app.relay;
  const sessionRuns = (id: string) => isInSession(store.get(id)?.state ?? 'ended');

  // The colleagues a session can be handed to: every analyst with a console open, on any node.
  app.get('/api/analyst/colleagues', { schema: { response: { 200: Colleagues, '4xx': ErrorBody } } }, async (req, reply) => {
    const who = await analystOf(app, req);
    if (!who) return reply.code(401).send(errorBody('auth.required'));
    return team.all()
      .filter((p) => p.analystId !== who.id)
      .map((p) => ({ id: p.analystId, name: p.name, status: shownStatus(p, sessionRuns), queues: p.queues }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });

  // The whole support center now, for admins (the supervisors): every queue, analyst and session
  // in progress, across every node. Never a session's content or a customer's name.
  app.get('/api/supervisor', { schema: { response: { 200: SupervisorView, '4xx': ErrorBody } } }, async (req, reply) => {
    const who = await analystOf(app, req);
    if (who?.role !== 'admin') return reply.code(who ? 403 : 401).send(errorBody(who ? 'auth.forbidden' : 'auth.required'));
    const now = clock.now();
    const people = team.all();
    const teams = teamOf(people, config.queues.map((q) => q.id));
    const sessions = store.all().filter((t) => isInSession(t.state) && t.analyst);
    const routes = new Map(people.flatMap((p) => (p.sessionId ? [[p.sessionId, p.route ?? null] as const] : [])));
    return {
      serverTime: now,
      queues: config.queues.map((q, i) => {
        const line = store.waitingIn(q.id);
        return {
          id: q.id,
          name: q.name,
          waiting: line.length,
          // The line is in order of arrival: its head has waited longest.
          longestWaitMs: line.length ? now - line[0].createdAt : null,
          open: outlook.isOpen(q.id),
          online: teams[i].online,
          available: teams[i].available,
          today: dayStats.of(q.id),
        };
      }),
      analysts: people.map((p) => {
        const status = shownStatus(p, sessionRuns);
        // In a session since its take; else since their status began.
        const since = status === 'inSession' ? store.get(p.sessionId!)?.takenAt ?? p.since : p.since;
        return { id: p.analystId, name: p.name, status, since, queues: p.queues };
      }).sort((a, b) => a.name.localeCompare(b.name)),
      sessions: sessions.map((s) => ({ id: s.id, queue: s.queue, analystName: s.analyst!.name, state: s.state, since: s.takenAt ?? s.createdAt, route: routes.get(s.id) ?? null }))
        .sort((a, b) => a.since - b.since),
    };
  });
}
