import { randomToken, sameText } from '../security/tokens.js';

/**
 * The first-run setup link: while a store has no staff account, the server prints a link (random, valid
 * for an hour and for one use) that opens a page to create the first administrator in the browser, as
 * Grafana and Jupyter hand the person at the console a one-time link. It is held in the server's memory
 * only: a restart prints a new one, and the old one stops working.
 */
export interface FirstRunLink {
  /** The secret part of the address; printed once, at start. */
  readonly token: string;
  readonly expiresAt: number;
  /** Whether the link still opens the page: the right token, within its hour, not used. */
  opens(token: string, now: number): boolean;
  /** Uses the link up if it opens, in one step (so two forms sent at once cannot both use it); true when it did. */
  take(token: string, now: number): boolean;
  /** Gives the link back after a use that made no account (the email taken meanwhile). */
  giveBack(): void;
}

export const firstRunLifetimeMs = 3_600_000;

export const firstRunLink = (now: number, lifetimeMs = firstRunLifetimeMs): FirstRunLink => {
  const token = randomToken();
  const expiresAt = now + lifetimeMs;
  let used = false;
  const opens = (given: string, at: number) => !used && at < expiresAt && sameText(given, token);
  return {
    token,
    expiresAt,
    opens,
    take: (given, at) => {
      if (!opens(given, at)) return false;
      used = true;
      return true;
    },
    giveBack: () => {
      used = false;
    },
  };
};
