import type { Principal } from '../auth/principal';
import { residentId, uscc } from '../identifiers';
import { AppError } from '../errors';
import { createDraft, type NewDraft } from './drafts';
import { addEvent, type ApplicationDeps, type ApplicationRow } from './store';

/**
 * The counter channel (窗口受理): a clerk makes a draft on behalf of a person or an enterprise at the window, found
 * in the registries by ID number or USCC. The draft is the holder's (they can follow it and resume it by its code);
 * the clerk who made it may fill, upload and submit it; the audit log and the timeline record both.
 */
export async function createCounterDraft(
  deps: ApplicationDeps,
  clerk: Principal,
  request: NewDraft & { holder: string },
): Promise<ApplicationRow> {
  const matter = deps.matters.get(request.matter);
  if (!matter)
    throw new AppError(400, 'VALIDATION_FAILED', `没有这个事项："${request.matter}"`, [
      { field: 'body.matter', message: 'no such matter' },
    ]);
  if (!clerk.roles.includes('clerk') || clerk.department !== matter.department.id)
    throw new AppError(403, 'FORBIDDEN', `只有${matter.department.name}的窗口工作人员可以代办本事项`);
  const code = String(request.holder ?? '').toUpperCase();
  const isPerson = residentId.validate(code).valid;
  if (!isPerson && !uscc.validate(code).valid)
    throw new AppError(400, 'VALIDATION_FAILED', '请输入有效的公民身份号码或统一社会信用代码', [
      { field: 'body.holder', message: 'not a valid ID number or USCC' },
    ]);
  const record = isPerson ? await deps.registries.persons.find(code) : await deps.registries.enterprises.find(code);
  if (!record) throw new AppError(404, 'NOT_FOUND', `${isPerson ? '人口' : '法人'}库中没有 ${code}`);

  const existing = await deps
    .knex('users')
    .where(isPerson ? { id_number: code } : { uscc: code })
    .first();
  // A holder who never signed in gets an account without a password (theirs once they sign in through the identity
  // provider), made in the draft's transaction: a request refused (not eligible) leaves no account behind.
  const account = existing ?? {
    id: `${isPerson ? 'person' : 'enterprise'}-${code}`,
    display_name: record.name,
    kind: isPerson ? 'person' : 'enterprise',
    id_number: isPerson ? code : null,
    uscc: isPerson ? null : code,
  };
  const holder: Principal = {
    id: account.id,
    username: existing?.username ?? account.id,
    name: account.display_name,
    kind: account.kind,
    department: null,
    roles: ['applicant'],
    idNumber: account.id_number,
    uscc: account.uscc,
  };
  return createDraft(deps, holder, request, {
    before: async (trx) => {
      if (!existing)
        await trx('users')
          .insert({ ...account, username: account.id, password_hash: null })
          .onConflict('id')
          .ignore();
    },
    after: async (trx, row) => {
      await trx('applications').where({ id: row.id }).update({ channel: 'counter', created_by: clerk.id });
      await addEvent(trx, deps.clock.now(), row.id, {
        kind: 'counter',
        message: `由${clerk.name}在窗口代为填报`,
        data: { clerk: clerk.id },
      });
      await deps.audit.append(
        {
          actor: clerk.id,
          action: 'application.created-at-counter',
          entityType: 'application',
          entityId: row.id,
          data: { onBehalfOf: holder.id, holder: code },
        },
        trx,
      );
      return { ...row, channel: 'counter', created_by: clerk.id };
    },
  });
}
