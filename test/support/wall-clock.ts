/**
 * Sets this process's wall clock (the global `Date`) to an instant, running on from there, until the returned function
 * puts the real one back. A scenario on days already past needs it: the platform's MovableClock starts from the wall
 * clock and only moves forward, and bpmn-elements reads the wall clock when it arms a timer (one already expired by the
 * wall clock fires at once), so both must start on the scenario's day, as they agree in production.
 */
export function setWallClock(at: Date): () => void {
  const RealDate = Date;
  const shift = at.getTime() - RealDate.now();
  const now = () => RealDate.now() + shift;
  const ShiftedDate = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });
  globalThis.Date = ShiftedDate;
  return () => {
    globalThis.Date = RealDate;
  };
}
