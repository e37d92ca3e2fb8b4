// Owns reading records keyed by ids that people choose: an id such as `constructor` must find only
// what was recorded under it, never what every object inherits from Object.prototype.

/** The record's own entry for the key, undefined when it has none (inherited properties never count). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets the record's own entry, even for `__proto__`, which plain assignment would take as the prototype. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
