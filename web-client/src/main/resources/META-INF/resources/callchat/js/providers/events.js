/** Shared by both providers: an EventTarget that emits CustomEvents with a detail. */
export class ProviderEvents extends EventTarget {
  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
