import { getContext } from 'svelte';

/**
 * What every page's header and footer show besides its own content, given by the server through Svelte's
 * context (server/pages/render-page.ts) so that no page has to pass it along: where to ask for help, and
 * for a respondent, the form that leaves the survey.
 */
export interface PageChrome {
  /** SUPPORT_EMAIL: where respondents and staff ask for help. */
  readonly supportEmail: string;
  /** The "Leave the survey" form of a respondent's page (a POST with its CSRF token); none elsewhere. */
  readonly leave?: { readonly action: string; readonly csrf: string };
  /** The home page's quiet link to staff sign-in, in its footer; no other page has it. */
  readonly staffSignIn?: boolean;
}

/** The accessibility statement, linked from every page's footer (the public sector bodies accessibility regulations ask for one). */
export const accessibilityPath = '/accessibility';

/** The privacy notice, linked from every page's footer and the survey's start page. */
export const privacyPath = '/privacy';

export const pageChromeKey = 'cswo-page-chrome';

/** Where to ask for help when SUPPORT_EMAIL is not set (server/app/config.ts). */
export const defaultSupportEmail = 'admin@socialworkscotland.org';

/** The page's chrome; a component rendered without any gets the default support address only. */
export const pageChrome = (): PageChrome => getContext<PageChrome | undefined>(pageChromeKey) ?? { supportEmail: defaultSupportEmail };
