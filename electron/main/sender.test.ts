import { describe, expect, it } from 'vitest';
import { rendererPage } from './security-rules';
import { type ExpectedSender, isTrustedSender, type SenderEvent } from './sender';

const page = rendererPage({}, '/app/out/main', true);
const expected: ExpectedSender = {
  windows: [
    { webContentsId: 1, mainFrame: { processId: 10, routingId: 1 } },
    { webContentsId: 2, mainFrame: { processId: 11, routingId: 1 } },
  ],
  page,
};

function event(
  over: Partial<{ id: number; url: string; processId: number; routingId: number; parent: unknown }> = {},
): SenderEvent {
  return {
    sender: { id: over.id ?? 1 },
    senderFrame: {
      url: over.url ?? page.url,
      processId: over.processId ?? 10,
      routingId: over.routingId ?? 1,
      parent: over.parent ?? null,
    },
  };
}

describe('isTrustedSender', () => {
  it('accepts the main frame of our main window and of the quick view', () => {
    expect(isTrustedSender(event(), expected)).toBe(true);
    expect(isTrustedSender(event({ id: 2, processId: 11, url: `${page.url}?view=quick` }), expected)).toBe(
      true,
    );
  });

  it('refuses a webContents that is not one of our windows', () => {
    expect(isTrustedSender(event({ id: 99 }), expected)).toBe(false);
  });

  it('refuses a sub-frame, even inside our window', () => {
    expect(isTrustedSender(event({ parent: {} }), expected)).toBe(false);
    expect(isTrustedSender(event({ routingId: 7 }), expected)).toBe(false);
  });

  it("refuses our window's frame identity reused by another window", () => {
    expect(isTrustedSender(event({ id: 1, processId: 11 }), expected)).toBe(false);
  });

  it('accepts only our own scheme and origin: portscope://app', () => {
    expect(page.url).toBe('portscope://app/index.html');
    expect(isTrustedSender(event({ url: 'portscope://app/index.html?view=quick&q=3000' }), expected)).toBe(
      true,
    );
  });

  it('refuses a frame that navigated away from our page: file://, a dev server, another origin', () => {
    for (const url of [
      'https://evil.example/',
      'file:///tmp/index.html',
      'file:///app/out/renderer/index.html',
      'http://localhost:5173/',
      'http://127.0.0.1:5173/index.html',
      'portscope://evil/index.html',
      'portscope://app/other.html',
    ]) {
      expect(isTrustedSender(event({ url }), expected), url).toBe(false);
    }
  });

  it('refuses a destroyed or navigated frame (senderFrame null)', () => {
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: null }, expected)).toBe(false);
  });

  it('refuses everything when no window is registered', () => {
    expect(isTrustedSender(event(), { windows: [], page })).toBe(false);
  });
});
