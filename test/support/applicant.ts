import { expect } from 'chai';
import { documentPdf } from './documents';
import { eventually } from './engine';
import type { TestServer } from './server';

export interface Draft {
  token: string;
  id: string;
  body: any;
}

/** A finding as the review stores it, reduced to what a flawed case must be told: its point and severity. */
export const pointsAndSeverities = (findings: { point: string; severity: string }[]): string[] =>
  findings.map((f) => `${f.point}:${f.severity}`).sort();

/**
 * An applicant's steps through the real API (create, fill, upload, self-check, submit, wait for the decision), each
 * asserting its HTTP status, for the end-to-end review tests.
 */
export function applicantSteps(server: TestServer) {
  const steps = {
    async draft(user: string, matter: string, action: string, answers: Record<string, unknown>): Promise<Draft> {
      const token = await server.login(user);
      const reply = await server.request('POST', '/api/v1/applications', { token, json: { matter, action, answers } });
      expect(reply.status, reply.text).to.equal(201);
      return { token, id: reply.body.id as string, body: reply.body };
    },
    async fill(token: string, id: string, form: Record<string, unknown>): Promise<void> {
      const reply = await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } });
      expect(reply.status, reply.text).to.equal(200);
    },
    async upload(token: string, id: string, materialCode: string, bytes: Buffer, type: 'image/jpeg' | 'application/pdf' = 'image/jpeg') {
      const body = new FormData();
      body.append('materialCode', materialCode);
      body.append('file', new Blob([new Uint8Array(bytes)], { type }), `${materialCode}.${type === 'application/pdf' ? 'pdf' : 'jpg'}`);
      const reply = await server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
      expect(reply.status, reply.text).to.equal(201);
      return reply.body;
    },
    async precheck(token: string, id: string) {
      const reply = await server.request('POST', `/api/v1/applications/${id}/precheck`, { token });
      expect(reply.status, reply.text).to.equal(200);
      return reply.body as {
        passed: boolean;
        findings: { point: string; severity: string; message: string; field?: string }[];
        tableVersion: number;
      };
    },
    async submit(token: string, id: string): Promise<void> {
      const reply = await server.request('POST', `/api/v1/applications/${id}/submit`, {
        token,
        headers: { 'idempotency-key': `submit-${id}` },
      });
      expect(reply.status, reply.text).to.equal(202);
    },
    /** The application once the process has decided it or put it before a person. */
    settled: (token: string, id: string) =>
      eventually(
        async () => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body,
        (v) => (v.status === 'approved' && v.result !== null) || v.status === 'manual_review' || v.status === 'rejected',
        60_000,
      ),
    /** The second party (a signed-in person) accepts the one confirmation the application asked of them. */
    async confirmAs(user: string, id: string): Promise<void> {
      const token = await server.login(user);
      const pending = await eventually(
        async () => (await server.request('GET', '/api/v1/confirmations', { token })).body.filter((c: any) => c.applicationId === id),
        (list) => list.length === 1,
      );
      const reply = await server.request('POST', `/api/v1/confirmations/${pending[0].token}`, { token, json: { accept: true } });
      expect(reply.status, reply.text).to.equal(200);
    },
    /** The user's hygiene-permit renewal with nothing changed, filled and with every material it asks uploaded. */
    async hygieneRenewal(user: string): Promise<Draft> {
      const draft = await steps.draft(user, 'public-place-hygiene-permit', 'renew', {
        renewChanges: 'none',
        airConditioning: 'no',
        agent: 'self',
      });
      await steps.fill(draft.token, draft.id, {
        staffCount: 8,
        certifiedStaffCount: 8,
        hygieneManager: '陈晓东',
        hygieneManagerPhone: '13912345678',
        contactName: '陈晓东',
        contactPhone: '13912345678',
        commitmentAccepted: true,
      });
      for (const material of (draft.body.materials as any[]).filter((m) => m.required && !m.exemptBecause && m.channel !== 'generated')) {
        await steps.upload(draft.token, draft.id, material.code, await documentPdf(material.name), 'application/pdf');
      }
      return draft;
    },
    async withdraw(token: string, id: string): Promise<void> {
      await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
    },
  };
  return steps;
}
