import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import DefinitionDraftPage from '../../web/staff/DefinitionDraftPage.svelte';
import DefinitionsPage from '../../web/staff/DefinitionsPage.svelte';
import PublishDefinitionPage from '../../web/staff/PublishDefinitionPage.svelte';
import { definitionKey, findDefinition, knownDefinitions, parseDefinitionRef } from '../../survey-definitions/index.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { csrfToken } from '../http/csrf-protection.js';
import { pathTo } from '../http/route-paths.js';
import { sendPage } from '../pages/send-page.js';
import { looksLikeToken } from '../security/tokens.js';
import { deleteDefinitionDraft, findDefinitionDraft, saveDefinitionDraft } from '../storage/definition-draft-store.js';
import { ensureDefinitionsKnown, publishDefinition, refreshPublishedDefinitions } from '../storage/definition-store.js';
import { listWaves } from '../storage/wave-store.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf } from '../staff/staff-pages.js';
import { changesSinceLatest, checkDefinitionFile, problemLine } from './definition-check.js';
import type { PreviewSource } from './preview-pages.js';

/** A draft's address after its week, or after it was published. */
const uploadGone = { message: 'This upload is no longer kept (a week at most, until it is published): upload the file again', problems: [] };

/** A definition file is a few tens of kilobytes; the body limit (256 KiB) refuses anything far larger first. */
const fileField = 'definition';

/**
 * `/staff/definitions`: the versions a wave can field (admins and analysts), and for admins the way to
 * publish a new one without a developer: upload the file, read every problem (as `definitions check` words
 * them) or, once it passes, what changed against the latest version and a preview, then publish. Nothing is
 * published on the upload itself: a published version never changes, so the upload is kept as a draft for a
 * week, checked again when it is published (another version may have been published meanwhile).
 */
export const definitionPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const renderUpload = (c: Context<StaffEnv>, status: ContentfulStatusCode, error?: { message: string; problems: readonly string[] }) =>
    sendPage(
      c,
      PublishDefinitionPage,
      {
        account: accountOf(c, key)!,
        upload: { action: staffPaths.definitionPublish, csrf: csrfToken(key, c.get('staffToken')), ...(error ? { error } : {}) },
        definitionsHref: staffPaths.definitions,
      },
      status,
    );

  const draftOf = async (c: Context<StaffEnv>) => {
    const token = c.req.param('draft') ?? '';
    return looksLikeToken(token) ? findDefinitionDraft(db, token, now()) : undefined;
  };

  return {
    list: async (c: Context<StaffEnv>) => {
      // A version another process published since this one read the store is listed too.
      await refreshPublishedDefinitions(db);
      const waves = await listWaves(db);
      const published = c.req.query('published');
      return sendPage(c, DefinitionsPage, {
        account: accountOf(c, key)!,
        definitions: knownDefinitions().map((d) => {
          const summary = definitionSummary(d, waves);
          return {
            ref: summary.ref,
            title: summary.title,
            items: Object.values(summary.items).reduce((a, b) => a + b, 0),
            waves: summary.waves,
            previewHref: pathTo(staffPaths.definitionPreview, { definition: summary.ref }),
          };
        }),
        ...(c.get('staff').user.role === 'admin' ? { publishHref: staffPaths.definitionPublish } : {}),
        ...(published && knownDefinitions().some((d) => definitionKey(d) === published)
          ? { notice: `${published} is published: a new wave can now field it.` }
          : {}),
      });
    },
    uploadForm: (c: Context<StaffEnv>) => renderUpload(c, 200),
    upload: async (c: Context<StaffEnv>) => {
      // requireRole has parsed the body already (for its CSRF check); Hono keeps the parsed form.
      const file = (await c.req.parseBody())[fileField];
      if (file === undefined || typeof file === 'string' || (file.name === '' && file.size === 0))
        return renderUpload(c, 400, { message: 'Choose the definition file (JSON or YAML) to upload', problems: [] });
      const name = file.name || 'the file';
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
      } catch {
        return renderUpload(c, 400, { message: `${name} is not a text file in UTF-8: save it as UTF-8 JSON or YAML`, problems: [] });
      }
      const checked = await checkDefinitionFile(db, text, name);
      if (!checked.ok) {
        const count = `${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}`;
        return renderUpload(c, 400, {
          message: `${name} cannot be published: ${count}. Nothing was kept`,
          problems: checked.problems.map((p) => problemLine(name, p)),
        });
      }
      if (checked.alreadyThere)
        return renderUpload(c, 422, {
          message: `${definitionKey(checked.definition)} is already published with this content: there is nothing to publish`,
          problems: [],
        });
      const token = await saveDefinitionDraft(db, checked.definition, { actor: c.get('staff').user.id, now: now() });
      return c.redirect(pathTo(staffPaths.definitionDraft, { draft: token }), 303);
    },
    draft: async (c: Context<StaffEnv>) => {
      const draft = await draftOf(c);
      if (!draft) return renderUpload(c, 404, uploadGone);
      const { definition } = draft;
      const { latest, changes } = changesSinceLatest(definition);
      return sendPage(c, DefinitionDraftPage, {
        account: accountOf(c, key)!,
        ref: definitionKey(definition),
        title: definition.title,
        ...(latest ? { against: definitionKey(latest) } : {}),
        changes,
        previewHref: pathTo(staffPaths.draftPreview, { draft: draft.token }),
        publish: { action: pathTo(staffPaths.definitionDraft, { draft: draft.token }), csrf: csrfToken(key, c.get('staffToken')) },
        cancel: { href: staffPaths.definitions, text: 'Cancel: publish nothing' },
      });
    },
    publish: async (c: Context<StaffEnv>) => {
      const draft = await draftOf(c);
      if (!draft) return renderUpload(c, 404, uploadGone);
      // Checked again: another version may have been published since the upload.
      const ref = definitionKey(draft.definition);
      const checked = await checkDefinitionFile(db, JSON.stringify(draft.definition), `${ref}.json`);
      if (!checked.ok)
        return renderUpload(c, 409, {
          message: `${ref} can no longer be published as it was uploaded: correct the file and upload it again`,
          problems: checked.problems.map((p) => problemLine(`${ref}.json`, p)),
        });
      const result = await publishDefinition(db, checked.definition, { actor: c.get('staff').user.id, now: now() });
      if (result.outcome === 'refused') return renderUpload(c, 409, { message: result.message, problems: [] });
      await deleteDefinitionDraft(db, draft.token);
      return c.redirect(`${staffPaths.definitions}?published=${encodeURIComponent(ref)}`, 303);
    },
    /** The version a preview's address names: a published one (`:definition`), or an upload (`:draft`). */
    publishedSource: async (c: Context<StaffEnv>): Promise<PreviewSource | undefined> => {
      const ref = parseDefinitionRef(c.req.param('definition') ?? '');
      if (!ref) return undefined;
      await ensureDefinitionsKnown(db, [ref]);
      const definition = findDefinition(ref);
      if (!definition) return undefined;
      const name = definitionKey(definition);
      return {
        name,
        definition,
        paths: {
          section: (part, section) => pathTo(staffPaths.definitionPreviewSection, { definition: name, part, section }),
          end: pathTo(staffPaths.definitionPreviewEnd, { definition: name }),
        },
        exit: { href: staffPaths.definitions, text: 'Go to the survey definitions' },
      };
    },
    draftSource: async (c: Context<StaffEnv>): Promise<PreviewSource | undefined> => {
      const draft = await draftOf(c);
      if (!draft) return undefined;
      const name = `${definitionKey(draft.definition)} (uploaded, not published)`;
      const back = pathTo(staffPaths.definitionDraft, { draft: draft.token });
      const token = draft.token;
      return {
        name,
        definition: draft.definition,
        paths: {
          section: (part, section) => pathTo(staffPaths.draftPreviewSection, { draft: token, part, section }),
          end: pathTo(staffPaths.draftPreviewEnd, { draft: token }),
        },
        exit: { href: back, text: 'Back to the upload' },
      };
    },
  };
};
