/**
 * Links to the previous and next page of a list, when there are any. `hasNext` is known from
 * a page count, or guessed from a full page when the total is not counted.
 */
export function Pager(props: {
  page: number;
  hasNext: boolean;
  href: (page: number) => string;
  label: string;
  previousText?: string;
  nextText?: string;
}) {
  const { page, hasNext, href, label } = props;
  if (page <= 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={label}>
      {page > 1 && (
        <a class="pager-link" rel="prev" href={href(page - 1)}>
          {props.previousText ?? '← Trang trước'}
        </a>
      )}
      {hasNext && (
        <a class="pager-link" rel="next" href={href(page + 1)}>
          {props.nextText ?? 'Trang sau →'}
        </a>
      )}
    </nav>
  );
}
