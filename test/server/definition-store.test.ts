import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { defineSurvey, findDefinition, registerPublishedDefinitions, type SurveyDefinition } from '../../survey-definitions/index.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import {
  definitionAuditAction,
  findPublishedDefinition,
  listPublishedDefinitions,
  publishDefinition,
  refreshPublishedDefinitions,
} from '../../server/storage/definition-store.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { retiredVia } from '../../server/storage/retired-definitions.js';
import { findStoredWave, insertWave, listWaves } from '../../server/storage/wave-store.js';
import { cswoAnnualV2, cswoAnnualV3 } from '../support/definitions.js';
import { databasesFor, onPostgres } from '../support/test-databases.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(async () => {
  await opener.closeAll();
  registerPublishedDefinitions([]);
});

const made = { actor: null, now: 1_700_000_000_000, via: 'command line' };
const v3Hash = 'sha256:a507a2fc423cc288ab26b1e44e6111c174469a566bcdb614afccc4defe33a0a0';
const v3Ref = { id: 'cswo-annual', version: 3 };

/** cswo-annual@3 with other content: its title changed. */
const otherV3 = (): SurveyDefinition => defineSurvey({ ...structuredClone(cswoAnnualV3), title: 'Another title' });

const wave21 = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: v3Ref };

describe('the published definitions store', () => {
  it('publishes a version once, audited in the same transaction, and registers it for every look-up', async () => {
    const stores = await opener.openIn(tempDir());
    const db = stores.identifiable;
    expect(findDefinition(v3Ref)).toBeUndefined();
    expect(await publishDefinition(db, cswoAnnualV3, made)).toEqual({ outcome: 'published', ref: 'cswo-annual@3', hash: v3Hash });
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
    const [row] = await listPublishedDefinitions(db);
    expect(row).toEqual({ ref: 'cswo-annual@3', hash: v3Hash, definition: cswoAnnualV3, publishedAt: made.now, publishedBy: null });
    expect(await findPublishedDefinition(db, v3Ref)).toEqual(row);
    expect(await findPublishedDefinition(db, { id: 'cswo-annual', version: 4 })).toBeUndefined();
    expect((await listAuditEvents(db, { actions: [definitionAuditAction] })).map((e) => [e.at, e.actor, e.detail])).toEqual([
      [made.now, null, { definition: 'cswo-annual@3', hash: v3Hash, via: 'command line' }],
    ]);
  });

  it('the same version with the same content again: nothing to do, nothing written', async () => {
    const stores = await opener.openIn(tempDir());
    await publishDefinition(stores.identifiable, cswoAnnualV3, made);
    expect(await publishDefinition(stores.identifiable, cswoAnnualV3, made)).toEqual({
      outcome: 'unchanged',
      ref: 'cswo-annual@3',
      hash: v3Hash,
      bundled: false,
    });
    expect(await publishDefinition(stores.identifiable, cswoAnnualV2, made)).toMatchObject({ outcome: 'unchanged', ref: 'cswo-annual@2', bundled: true });
    expect(await listPublishedDefinitions(stores.identifiable)).toHaveLength(1);
    expect(await listAuditEvents(stores.identifiable, { actions: [definitionAuditAction] })).toHaveLength(1);
  });

  it('refuses the same version with other content, naming the hash already there and a free version', async () => {
    const stores = await opener.openIn(tempDir());
    await publishDefinition(stores.identifiable, cswoAnnualV3, made);
    const other = otherV3();
    expect(await publishDefinition(stores.identifiable, other, made)).toEqual({
      outcome: 'refused',
      ref: 'cswo-annual@3',
      hash: contentHash(other),
      message:
        `cswo-annual@3 is already published with other content (${v3Hash}); this definition's content is ${contentHash(other)}. ` +
        'A version never changes once published: give the changed definition a new version number (cswo-annual@4 is free)',
    });
    expect((await listPublishedDefinitions(stores.identifiable)).map((p) => p.hash)).toEqual([v3Hash]);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
    expect(await listAuditEvents(stores.identifiable, { actions: [definitionAuditAction] })).toHaveLength(1);
  });

  it('refuses a bundled version with other content, naming the bundled hash', async () => {
    const stores = await opener.openIn(tempDir());
    const changed = defineSurvey({ ...structuredClone(cswoAnnualV2), title: 'Changed' });
    const result = await publishDefinition(stores.identifiable, changed, made);
    expect(result).toMatchObject({ outcome: 'refused', ref: 'cswo-annual@2' });
    expect(result.outcome === 'refused' && result.message).toMatch(
      new RegExp(`^cswo-annual@2 is already bundled with the platform with other content \\(${contentHash(cswoAnnualV2)}\\); .*\\(cswo-annual@3 is free\\)$`),
    );
    expect(await listPublishedDefinitions(stores.identifiable)).toEqual([]);
    expect(await listAuditEvents(stores.identifiable, { actions: [definitionAuditAction] })).toEqual([]);
  });

  it('is insert-only: the store refuses UPDATE and DELETE of a published version, from any connection', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const db = stores.identifiable;
    await publishDefinition(db, cswoAnnualV3, made);
    await expect(db.updateTable('published_definition').set({ content_hash: 'sha256:0' }).execute()).rejects.toThrow(
      'published_definition is insert-only: a published version cannot be changed',
    );
    await expect(db.deleteFrom('published_definition').execute()).rejects.toThrow('published_definition is insert-only: a published version cannot be deleted');
    await stores.close();
    if (onPostgres()) {
      const raw = new pg.Client({ connectionString: (await databasesFor(join(dir, 'data'))).databaseUrl });
      await raw.connect();
      try {
        await expect(raw.query("update published_definition set definition = '{}'")).rejects.toThrow(/insert-only: a published version cannot be changed/);
        await expect(raw.query('truncate published_definition')).rejects.toThrow(/insert-only/);
      } finally {
        await raw.end();
      }
    } else {
      const raw = new Database(storeFiles(join(dir, 'data')).identifiable);
      try {
        expect(() => raw.prepare("update published_definition set definition = '{}'").run()).toThrow(/insert-only/);
        expect(() => raw.prepare('delete from published_definition').run()).toThrow(/insert-only/);
      } finally {
        raw.close();
      }
    }
    const reopened = await opener.openIn(dir);
    expect((await listPublishedDefinitions(reopened.identifiable)).map((p) => p.hash)).toEqual([v3Hash]);
  });

  it('the stores register what is published when they open', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await publishDefinition(stores.identifiable, cswoAnnualV3, made);
    await stores.close();
    registerPublishedDefinitions([]);
    await opener.openIn(dir);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
  });

  it('a wave naming a version the registry lacks (published by another process) reloads it; a known one reads nothing', async () => {
    const stores = await opener.openIn(tempDir());
    const db = stores.identifiable;
    await publishDefinition(db, cswoAnnualV3, made);
    await insertWave(db, { wave: wave21, createdBy: null, now: made.now });
    // What this process would hold had another process published it after the stores opened.
    registerPublishedDefinitions([]);
    expect(findDefinition(v3Ref)).toBeUndefined();
    expect((await findStoredWave(db, '2021-06'))?.definition).toEqual(v3Ref);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
    registerPublishedDefinitions([]);
    expect((await listWaves(db)).map((w) => w.id)).toEqual(['2020-01', '2020-06', '2021-06']);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
  });

  it('refreshPublishedDefinitions reloads when the count of published versions changed', async () => {
    const stores = await opener.openIn(tempDir());
    await refreshPublishedDefinitions(stores.identifiable);
    expect(findDefinition(v3Ref)).toBeUndefined();
    // Another process publishes: a row this process did not write.
    await stores.identifiable
      .insertInto('published_definition')
      .values({ id: 'cswo-annual', version: 3, content_hash: v3Hash, definition: JSON.stringify(cswoAnnualV3), published_at: made.now, published_by: null })
      .execute();
    expect(findDefinition(v3Ref)).toBeUndefined();
    await refreshPublishedDefinitions(stores.identifiable);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
  });

  it('refuses to open a store whose published version does not match its recorded hash', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await stores.identifiable
      .insertInto('published_definition')
      .values({ id: 'cswo-annual', version: 3, content_hash: 'sha256:0', definition: JSON.stringify(cswoAnnualV3), published_at: made.now, published_by: null })
      .execute();
    await stores.close();
    expect(await opener.refusalIn(dir)).toBe('the published definition cswo-annual@3 in the store does not match its recorded content hash sha256:0');
  });
  it('refuses to open a store holding a bundled version with other content (written behind its back)', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const changed = defineSurvey({ ...structuredClone(cswoAnnualV2), title: 'Changed' });
    await stores.identifiable
      .insertInto('published_definition')
      .values({
        id: 'cswo-annual',
        version: 2,
        content_hash: contentHash(changed),
        definition: JSON.stringify(changed),
        published_at: made.now,
        published_by: null,
      })
      .execute();
    await stores.close();
    expect(await opener.refusalIn(dir)).toBe(
      'the store holds a published definition it cannot use: cswo-annual@2 is bundled with other content: it cannot also be published',
    );
  });
});

describe('cswo-annual@3, which left the bundle', () => {
  it('is published automatically, with its example content and hash, when a stored wave names it', async () => {
    const dir = tempDir();
    const before = await opener.openIn(dir);
    // A wave created while cswo-annual@3 was bundled: the store has the wave but not the version.
    await insertWave(before.identifiable, { wave: wave21, createdBy: null, now: made.now });
    expect(await listPublishedDefinitions(before.identifiable)).toEqual([]);
    await before.close();
    registerPublishedDefinitions([]);

    const stores = await opener.openIn(dir);
    expect((await listPublishedDefinitions(stores.identifiable)).map((p) => [p.ref, p.hash, p.publishedBy])).toEqual([['cswo-annual@3', v3Hash, null]]);
    expect(findDefinition(v3Ref)).toEqual(cswoAnnualV3);
    expect((await listAuditEvents(stores.identifiable, { actions: [definitionAuditAction] })).map((e) => e.detail)).toEqual([
      { definition: 'cswo-annual@3', hash: v3Hash, via: retiredVia },
    ]);
    // Opening again publishes nothing more.
    await stores.close();
    await opener.openIn(dir);
    const again = await opener.openIn(dir);
    expect(await listAuditEvents(again.identifiable, { actions: [definitionAuditAction] })).toHaveLength(1);
  });

  it('is not published into a store where no wave names it', async () => {
    const dir = tempDir();
    await (await opener.openIn(dir)).close();
    const stores = await opener.openIn(dir);
    expect(await listPublishedDefinitions(stores.identifiable)).toEqual([]);
    expect(findDefinition(v3Ref)).toBeUndefined();
  });
});
