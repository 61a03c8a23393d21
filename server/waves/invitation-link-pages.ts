import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import InvitationLinksPage from '../../web/staff/InvitationLinksPage.svelte';
import InvitationsPage from '../../web/staff/InvitationsPage.svelte';
import type { Wave } from '../../survey-definitions/index.js';
import { csvText } from '../csv/csv-writer.js';
import { councilLabels } from './roster-csv.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage, supportEmailOf } from '../pages/send-page.js';
import { pathTo } from '../http/route-paths.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice, waveOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { waveStatusText } from './wave-progress.js';
import { waveStatus } from '../storage/roster-store.js';
import { invitationLink, invitationsVersion, issueLinks, planInvitations, rosterCouncils, SubmittedMeanwhile, type RosterCouncil } from './invitation-issue.js';
import { previewCouncilMail, queueInvitationEmails } from './council-mail.js';
import { emailNotSetUp } from './reminder-pages.js';
import MailPreviewPage from '../../web/staff/MailPreviewPage.svelte';
import type { StoredWave } from '../storage/wave-store.js';
import { identifiableViewAction } from './wave-changes.js';

const deliveries = ['page', 'csv', 'email'] as const;

/** What the form sent, as the page shows it again when it is refused. */
interface Sent {
  readonly councils?: readonly string[];
  readonly delivery?: string;
}

const asList = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

/**
 * `/staff/waves/:wave/invitations`: issue a wave's invitation links (admins only), by the command line's
 * rules (server/waves/invitation-issue.ts): never for a council that submitted part one, all links in one
 * transaction, the wave opened if it was not, `invitation.issue` audited with the councils and no secret.
 * The links are secrets: they appear once, in the answer to the POST (the page, or a CSV download), and
 * never in an address or a log. The form carries a fingerprint of the wave's links, so sending it twice
 * cannot silently replace the links the first answer showed.
 */
export const invitationLinkPages = ({ stores, key, now, publicUrl, mail }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const renderForm = async (c: Context<StaffEnv>, wave: Wave, status: ContentfulStatusCode, sent?: Sent, problems: readonly FieldProblem[] = []) => {
    const labels = councilLabels(wave);
    const councils = (await rosterCouncils(db, wave.id)).map((r) => {
      const state = r.partOne === 'submitted' ? ('submitted part one' as const) : r.invited ? ('has a link' as const) : ('no link yet' as const);
      return {
        code: r.council,
        label: `${labels.get(r.council) ?? r.council}: ${r.name}, ${r.email}`,
        state,
        checked: state !== 'submitted part one' && (sent?.councils ? sent.councils.includes(r.council) : state === 'no link yet'),
      };
    });
    const waveState = await waveStatus(db, wave.id);
    return sendPage(
      c,
      InvitationsPage,
      {
        account: accountOf(c, key)!,
        wave: { id: wave.id, name: wave.name, fielded: wave.fielded, open: waveState === 'open', status: waveStatusText[waveState] },
        councils,
        form: {
          action: pathTo(staffPaths.waveInvitations, { wave: wave.id }),
          csrf: csrfToken(key, c.get('staffToken')),
          version: await invitationsVersion(db, wave.id),
        },
        delivery: sent?.delivery ?? 'page',
        ...(mail ? { emailFrom: mail.from } : { emailNotSetUp }),
        ...formErrors(problems),
        rosterHref: pathTo(staffPaths.waveRoster, { wave: wave.id }),
        wavesHref: staffPaths.waves,
      },
      status,
    );
  };

  /** The step before invitations go by email: the exact message one council gets, and everyone it goes to. */
  const previewEmail = async (c: Context<StaffEnv>, wave: StoredWave, councils: readonly RosterCouncil[], base: string, version: string) => {
    const message = await previewCouncilMail(db, wave, 'invitation', councils[0]!, { baseUrl: base, support: supportEmailOf(c) });
    return sendPage(c, MailPreviewPage, {
      account: accountOf(c, key)!,
      label: `Roster and invitations · ${wave.fielded}`,
      heading: `Send invitations by email: ${wave.name}`,
      intro: [
        'Each council gets its own link in its message. Only a hash of each link is kept: the message is the only copy, so nobody can show the links again.',
        ...councils.filter((r) => r.invited).map((r) => `${r.council} has a link already: the new one replaces it, and the old one stops working.`),
      ],
      recipients: councils.map((r) => ({ council: r.council, name: r.name, email: r.email })),
      message: { from: mail!.from, to: message.to, subject: message.subject, text: message.text },
      note: "Each council's message carries its own new link where this one shows the placeholder.",
      form: {
        action: pathTo(staffPaths.waveInvitations, { wave: wave.id }),
        csrf: csrfToken(key, c.get('staffToken')),
        fields: [{ name: 'version', value: version }, { name: 'delivery', value: 'email' }, ...councils.map((r) => ({ name: 'council', value: r.council }))],
      },
      button: councils.length === 1 ? 'Send 1 invitation' : `Send ${councils.length} invitations`,
      cancel: { href: pathTo(staffPaths.waveInvitations, { wave: wave.id }), text: 'Change the councils' },
    });
  };

  return {
    form: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      await appendAuditEvent(db, {
        actor: c.get('staff').user.id,
        action: identifiableViewAction,
        detail: { page: 'wave invitations', wave: wave.id },
        at: now(),
      });
      return renderForm(c, wave, 200);
    },
    issue: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const body = await c.req.parseBody({ all: true });
      const sent: Sent = { councils: [...new Set(asList(body.council))], delivery: asList(body.delivery)[0] ?? '' };
      const chosen = sent.councils!;

      const problems: FieldProblem[] = [];
      if (chosen.length === 0) problems.push({ field: 'council', message: 'Choose at least one council to send a link to' });
      if (!(deliveries as readonly string[]).includes(sent.delivery!)) problems.push({ field: 'delivery', message: 'Choose how you want the links' });
      else if (sent.delivery === 'email' && !mail)
        problems.push({ field: 'delivery', message: 'Email is not set up on this server: choose to see the links or download them' });
      const plan = await planInvitations(db, wave.id, { councils: chosen, reissue: true });
      if (plan.notOnRoster.length > 0)
        problems.push({ field: 'council', message: `Not on the roster of this wave: ${plan.notOnRoster.join(', ')}. Choose councils from the list` });
      if (problems.length > 0)
        return renderForm(
          c,
          wave,
          400,
          sent,
          problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i),
        );

      // Councils chosen are all served or none.
      if (plan.submitted.length > 0) {
        const which = plan.submitted.map((r) => r.council).join(', ');
        return renderForm(c, wave, 422, sent, [
          {
            field: 'council',
            message: `${which} submitted part one: a new link would allow a second part-two answer. Nothing was issued; untick ${plan.submitted.length === 1 ? 'it' : 'them'}`,
          },
        ]);
      }
      const version = asList(body.version)[0];
      if (version !== (await invitationsVersion(db, wave.id))) {
        return renderForm(c, wave, 409, sent, [
          {
            field: 'council',
            message:
              "The wave's links changed after this page was opened (was the form sent twice?). Nothing was issued: check the councils and send the form again",
          },
        ]);
      }

      // The address respondents use: PUBLIC_URL behind a proxy, else the one this page was reached at.
      const base = publicUrl ?? new URL(c.req.url).origin;
      if (sent.delivery === 'email' && mail) {
        if (asList(body.confirm)[0] !== 'yes') return previewEmail(c, wave, plan.toIssue, base, version!);
        try {
          const queued = await queueInvitationEmails(stores, key, wave, plan.toIssue, { actor: c.get('staff').user.id, now: now() }, base);
          mail.sendSoon();
          return sendStaffNotice(c, 200, {
            title: queued.queued.length === 1 ? 'The invitation is being sent' : `${queued.queued.length} invitations are being sent`,
            paragraphs: [
              `Each council's link is in its message and nowhere else: ${queued.queued.join(', ')}.`,
              ...(queued.openedFrom ? [`The wave was ${waveStatusText[queued.openedFrom]}: it is now open to answers.`] : []),
              'A message the mail server puts off is tried again later; the response monitor shows what became of each.',
            ],
            link: { href: pathTo(staffPaths.waveResponses, { wave: wave.id }), text: 'Go to the response monitor' },
            account: accountOf(c, key),
          });
        } catch (error) {
          if (!(error instanceof SubmittedMeanwhile)) throw error;
          return renderForm(c, wave, 422, sent, [
            {
              field: 'council',
              message: `${error.councils.join(', ')} submitted part one meanwhile: a new link would allow a second part-two answer. Nothing was sent`,
            },
          ]);
        }
      }

      let issued;
      try {
        issued = await issueLinks(stores, wave, plan.toIssue, { actor: c.get('staff').user.id, now: now() });
      } catch (error) {
        if (!(error instanceof SubmittedMeanwhile)) throw error;
        return renderForm(c, wave, 422, sent, [
          {
            field: 'council',
            message: `${error.councils.join(', ')} submitted part one meanwhile: a new link would allow a second part-two answer. Nothing was issued`,
          },
        ]);
      }
      const links = issued.links.map((l) => ({ council: l.council, name: l.name, email: l.email, link: invitationLink(base, l.secret) }));

      if (sent.delivery === 'csv') {
        const rows = links.map((l) => [l.council, l.name, l.email, l.link]);
        c.header('Content-Disposition', `attachment; filename="invitations-${wave.id}.csv"`);
        // With a byte order mark, so Excel reads accented names correctly.
        return c.body(csvText([['local_authority', 'name', 'email', 'link'], ...rows], { bom: true }), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      }
      // The links are secrets the admin reads and hands on: sent uncompressed (BREACH).
      return sendPage(
        c,
        InvitationLinksPage,
        {
          account: accountOf(c, key)!,
          wave: { name: wave.name, fielded: wave.fielded },
          links,
          opened: issued.openedFrom && waveStatusText[issued.openedFrom],
          rosterHref: pathTo(staffPaths.waveRoster, { wave: wave.id }),
          wavesHref: staffPaths.waves,
        },
        200,
        { secret: true },
      );
    },
  };
};
