import { cookies } from '../../../server/respondent/respondent-context.js';
import { sha256 } from '../../../server/security/tokens.js';
import { LoopbackBrowser, type Reply } from '../../support/loopback-client.js';
import { csrfOf, pageItems, randomCells, sectionsOf, seededRandom, titleOf } from '../respondent-helpers.js';

/**
 * One respondent's whole journey (invitation link, part one, the door, part two) against a server that
 * may be killed at any moment. A request that gets no response is retried once the server is back, as
 * a person would press the button again; every response that does arrive must be one the journey
 * allows, or the run fails.
 */

/** What the respondent knows of each part when the journey ends. */
export type PartOutcome =
  /** The submit's success response (303 to the confirmation) arrived. */
  | 'acknowledged'
  /** A submit's response was lost, and the retry was told the part was already submitted. */
  | 'stored-unacknowledged'
  /** Never submitted (the journey did not get that far). */
  | 'not-submitted';

export interface Respondent {
  readonly index: number;
  readonly wave: string;
  readonly council: string;
  readonly secret: string;
  /** Written into a free-text answer of each part, so the stored row can be found (and counted). */
  readonly markers: { readonly partOne: string; readonly partTwo: string };
  partOne: PartOutcome;
  partTwo: PartOutcome;
  /** A part-two submit was sent at least once (so it may be stored even without any response). */
  partTwoAttempted: boolean;
  /** sha256 of the part-two credential, the key the anonymous store uses, once the pass is issued. */
  credentialHash?: string;
  /** Requests whose response never arrived. */
  lost: number;
}

/** Where the server is: waits while it is down, resolves with its base URL while it is up. */
export interface ServerGate {
  live(): Promise<string>;
}

/** A response the journey does not allow: fails the run at once, never retried. */
export class UnexpectedReply extends Error {}

const expectReply = (reply: Reply, what: string, status: number, location?: string) => {
  if (reply.status !== status || (location !== undefined && reply.location !== location)) {
    throw new UnexpectedReply(
      `${what}: expected ${status}${location ? ` to ${location}` : ''}, got ${reply.status} ${reply.location ?? ''} "${titleOf(reply.body)}"`,
    );
  }
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export const runJourney = async (r: Respondent, gate: ServerGate, address: string, seed: number): Promise<void> => {
  const browser = new LoopbackBrowser(address);
  const random = seededRandom(seed);

  /** Runs one step until a response arrives; `retried` tells the step whether an earlier try was lost. */
  const step = async <T>(what: string, run: (base: string, retried: boolean) => Promise<T>): Promise<T> => {
    let retried = false;
    for (let attempt = 0; attempt < 500; attempt++) {
      const base = await gate.live();
      try {
        return await run(base, retried);
      } catch (error) {
        if (error instanceof UnexpectedReply) throw error;
        r.lost++;
        retried = true;
        // The server is going down or coming up: give the harness a moment to notice.
        await sleep(20);
      }
    }
    throw new Error(`${what}: no response after 500 attempts`);
  };

  const section = (partBase: string, id: string, cells: Record<string, string>, next: string) =>
    step(`${partBase}/${id}`, async (url) => {
      const page = await browser.send(url, 'GET', `${partBase}/${id}`);
      expectReply(page, `GET ${partBase}/${id}`, 200);
      const saved = await browser.send(url, 'POST', `${partBase}/${id}`, { _csrf: csrfOf(page.body), ...cells });
      expectReply(saved, `POST ${partBase}/${id}`, 303, next);
    });

  /** GET check, POST submit: acknowledged by a 303 to done; a 409 is allowed only after a lost try. */
  const submit = (partBase: string, onSend: () => void) =>
    step(`${partBase}/submit`, async (url, retried): Promise<PartOutcome> => {
      const check = await browser.send(url, 'GET', `${partBase}/check`);
      if (retried && check.status === 409) return 'stored-unacknowledged';
      expectReply(check, `GET ${partBase}/check`, 200);
      onSend();
      const sent = await browser.send(url, 'POST', `${partBase}/submit`, { _csrf: csrfOf(check.body) });
      if (retried && sent.status === 409) return 'stored-unacknowledged';
      expectReply(sent, `POST ${partBase}/submit`, 303, `${partBase}/done`);
      return 'acknowledged';
    });

  await step('invitation link', async (url) => expectReply(await browser.send(url, 'GET', `/i/${r.secret}`), 'GET /i/<secret>', 303, '/survey'));

  const partOne = sectionsOf('identifiable');
  for (const [i, s] of partOne.entries()) {
    const cells = randomCells(pageItems(s), random);
    if (s.items.some((item) => item.id === 'oversight_roles')) cells.oversight_roles = r.markers.partOne;
    const next = partOne[i + 1] ? `/survey/part-one/${partOne[i + 1]!.id}` : '/survey/part-one/check';
    await section('/survey/part-one', s.id, cells, next);
  }
  r.partOne = await submit('/survey/part-one', () => {});

  // Submitting part one gave this browser its part-two pass; should that answer have been lost, the
  // confirmation gives the same pass back to the browser that sent it (and to no other).
  await step('part-two pass', async (url) => {
    const done = await browser.send(url, 'GET', '/survey/part-one/done');
    expectReply(done, 'GET /survey/part-one/done', 200);
    if (!browser.jar.value(cookies.partTwo))
      throw new UnexpectedReply(`GET /survey/part-one/done: no part-two pass for the browser that sent part one "${titleOf(done.body)}"`);
  });
  // The pass is `wave.code.tag`; the anonymous store keys by the code's hash.
  const credential = browser.jar.value(cookies.partTwo)?.split('.')[1];
  if (credential) r.credentialHash = sha256(credential);

  const partTwo = sectionsOf('anonymous');
  for (const [i, s] of partTwo.entries()) {
    const cells = randomCells(pageItems(s), random);
    if (s.items.some((item) => item.id === 'final_reflections')) cells.final_reflections = r.markers.partTwo;
    const next = partTwo[i + 1] ? `/part-two/${partTwo[i + 1]!.id}` : '/part-two/check';
    await section('/part-two', s.id, cells, next);
  }
  r.partTwo = await submit('/part-two', () => {
    r.partTwoAttempted = true;
  });
};
