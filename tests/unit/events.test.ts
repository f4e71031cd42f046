// The couple's event types (src/realtime/events.ts) and the pages that listen for them: a
// page's sse-swap list naming a type that no event has would wait for nothing, and a type
// the chat page does not list would never reach it. (A type with no renderer does not
// compile: combineRenderers takes one renderer per type.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/realtime/events';

const VIEWS = join(__dirname, '../../views');

function* templates(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* templates(path);
    else if (name.endsWith('.eta')) yield path;
  }
}

// a list is written in the attribute, or (the chat page, whose stream opens from the head
// of the page) in the template's `events: '…'` that the attribute and the head both use
const swaps = [...templates(VIEWS)].flatMap((path) =>
  [...readFileSync(path, 'utf8').matchAll(/sse-swap="([^"<]*)"|\bevents: '([^']*)'/g)].map((m) => ({ path: path.slice(VIEWS.length + 1), names: (m[1] ?? m[2]).split(',').map((n) => n.trim()) })),
);

describe('event types and the pages that listen for them', () => {
  it('names only event types that exist in every sse-swap list', () => {
    expect(swaps.length).toBeGreaterThan(0);
    const unknown = swaps.flatMap(({ path, names }) => names.filter((n) => !(EVENT_TYPES as string[]).includes(n)).map((n) => `${path}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it('has the chat page listen for every event type', () => {
    const chat = swaps.filter((s) => s.path === join('chat', 'chat.eta')).flatMap((s) => s.names);
    expect([...new Set(chat)].sort()).toEqual([...EVENT_TYPES].sort());
  });
});
