import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Colleagues, errorBody, ErrorBody, SupervisorView } from '../../protocol/index.js';
import { isInSession } from '../session-machine.js';
import { teamOf } from '../team-presence.js';
import { analystOf } from './auth.js';

export async function supervisorRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, store, team, outlook, dayStats, clock } = app.relay;

  // The colleagues a session can be handed to: every analyst with a console open, on any node.
  app.get('/api/analyst/colleagues', { schema: { response: { 200: Colleagues, '4xx': ErrorBody } } }, async (req, reply) => {
    const who = await analystOf(app, req);
    if (!who) return reply.code(401).send(errorBody('auth.required'));
    return team.all()
      .filter((p) => p.analystId !== who.id)
      .map((p) => ({ id: p.analystId, name: p.name, status: p.sessionId ? ('inSession' as const) : p.status, queues: p.queues }))
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
        const session = p.sessionId ? sessions.find((s) => s.id === p.sessionId) : undefined;
        return {
          id: p.analystId,
          name: p.name,
          status: session ? ('inSession' as const) : p.status,
          since: session?.takenAt ?? p.since,
          queues: p.queues,
        };
      }).sort((a, b) => a.name.localeCompare(b.name)),
      sessions: sessions.map((s) => ({ id: s.id, queue: s.queue, analystName: s.analyst!.name, state: s.state, since: s.takenAt ?? s.createdAt, route: routes.get(s.id) ?? null }))
        .sort((a, b) => a.since - b.since),
    };
  });
}
