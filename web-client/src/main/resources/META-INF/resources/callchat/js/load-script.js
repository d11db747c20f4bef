// Loads the vendored SDK bundles (classic scripts that define window.Twilio.*) on demand, so the local
// provider never downloads them.

const loading = new Map();

/**
 * @param {string} path relative to the page, e.g. "vendor/video.js"
 * @returns {Promise<void>} resolves once the script ran
 */
export function loadVendorScript(path) {
  if (!loading.has(path)) {
    const promise = inject(path);
    promise.catch(() => loading.delete(path));
    loading.set(path, promise);
  }
  return loading.get(path);
}

function inject(path) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(path, document.baseURI).href;
    const restore = allowDynamicImportShim();
    script.addEventListener('load', () => { restore(); resolve(); }, { once: true });
    script.addEventListener('error', () => {
      restore();
      reject(new Error(`${path} could not be loaded`));
    }, { once: true });
    document.head.append(script);
  });
}

// twilio-video builds its plugin loader with `new Function('url', 'return import(url);')` while the bundle
// evaluates (so that bundlers leave import() alone). Our CSP has no 'unsafe-eval', so that line throws and
// the whole SDK fails to load. For the few milliseconds the bundle evaluates we answer exactly that
// constructor call with an equivalent arrow function; everything else goes to the real Function, which
// the CSP still guards. The shim is removed as soon as the script has run.
const IMPORT_BODY = 'return import(url);';

function allowDynamicImportShim() {
  const original = globalThis.Function;
  if (original.__callchatShim) return () => {};
  const shim = new Proxy(original, {
    construct(target, args, newTarget) {
      if (args.length === 2 && args[0] === 'url' && String(args[1]).trim() === IMPORT_BODY) {
        return (url) => import(url);
      }
      return Reflect.construct(target, args, newTarget === shim ? target : newTarget);
    },
    apply(target, thisArg, args) {
      return Reflect.apply(target, thisArg, args);
    },
    get(target, prop, receiver) {
      if (prop === '__callchatShim') return true;
      return Reflect.get(target, prop, target);
    },
  });
  globalThis.Function = shim;
  return () => {
    if (globalThis.Function === shim) globalThis.Function = original;
  };
}
