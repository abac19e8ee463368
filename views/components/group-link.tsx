/** A criteria group in a page's contents list (scoring, moderation, tender responses): the current one is marked for everyone. */
export function GroupLink(props: { href: string; name: string; current: boolean }) {
  return props.current ? (
    <a href={props.href} aria-current="page" class="group-contents__current">
      {props.name}
    </a>
  ) : (
    <a href={props.href}>{props.name}</a>
  )
}
