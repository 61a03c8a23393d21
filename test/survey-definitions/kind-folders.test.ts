import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itemKinds, kindOf, type Item } from '../../survey-definitions/index.js';
import { questionComponents } from '../../survey-definitions/kinds/kind-components.js';

const kindsDir = fileURLToPath(new URL('../../survey-definitions/kinds/', import.meta.url));

describe('a question kind is one folder (survey-definitions/kinds/<kind>/)', () => {
  it('has one folder per registered kind, and no other folder', () => {
    const folders = readdirSync(kindsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual([...itemKinds].sort());
  });

  it.each(itemKinds)('%s: its folder holds the module the registry uses and the component the pages use', async (kind) => {
    const files = readdirSync(`${kindsDir}${kind}`);
    const components = files.filter((file) => file.endsWith('.svelte'));
    expect(files).toContain(`${kind}-kind.ts`);
    expect(components).toHaveLength(1);
    const module: Record<string, unknown> = await import(`${kindsDir}${kind}/${kind}-kind.ts`);
    expect(Object.values(module)).toContain(kindOf({ kind } as Item));
    const component: { default: unknown } = await import(`${kindsDir}${kind}/${components[0]}`);
    expect(questionComponents[kind]).toBe(component.default);
  });
});
