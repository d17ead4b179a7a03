import { Fragment } from 'react';

/**
 * A path or command line that may wrap after a `/` or a space, never mid-word (a <wbr> after each
 * slash); a single segment longer than the line still breaks (overflow-wrap). Rendered as text.
 */
export function BreakablePath({ text }: { text: string }) {
  const parts = text.split(/(?<=\/)/);
  return (
    <>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments of one fixed string, never reordered
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
