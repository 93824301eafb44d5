/**
 * The two errors the FFI layer itself can produce. They live here, at the
 * bottom of the layering, so that `src/usb` (which re-exports them and
 * derives its typed errors from {@link UsbError}) and everything above can
 * import them without `ffi/` importing upwards.
 *
 * @module
 */

/** Options of {@link UsbError}. */
export interface UsbErrorOptions {
  /** libusb return code (negative), when the error came from a libusb call. */
  code?: number;
  /** libusb's symbolic name of `code`, e.g. `LIBUSB_ERROR_PIPE`. */
  libusbName?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base of every USB error. `code` and `libusbName` are set when a libusb call
 * failed. (`libusbName` rather than `name`: `Error.name` already holds the
 * class name, which is what `instanceof`-less consumers match on.)
 *
 * @example
 * ```ts
 * import { Battery, UsbError } from "@tripplite/tripplite";
 * try {
 *   await using ups = await Battery.open();
 *   console.log(await ups.get());
 * } catch (e) {
 *   if (e instanceof UsbError) console.error(e.message, e.libusbName ?? "");
 *   else throw e;
 * }
 * ```
 */
export class UsbError extends Error {
  /** libusb return code (negative), or `undefined` when no libusb call failed. */
  readonly code?: number;
  /** libusb's name for {@link UsbError.code}, e.g. `LIBUSB_ERROR_PIPE`. */
  readonly libusbName?: string;

  /** Creates the error; `message` should be one line, fit for the CLI. */
  constructor(message: string, options: UsbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UsbError";
    if (options.code !== undefined) this.code = options.code;
    if (options.libusbName !== undefined) this.libusbName = options.libusbName;
  }
}

/**
 * The libusb-1.0 shared library could not be loaded. The message says what
 * to install and names the `TRIPPLITE_LIBUSB_PATH` override; `cause` holds
 * the dlopen error (an `AggregateError` when several paths were tried).
 */
export class LibusbNotFoundError extends UsbError {
  /** The library names or paths that were tried, in order. */
  readonly tried: readonly string[];

  /**
   * Creates the error for the candidates tried; `fromEnv` when the one
   * candidate came from `TRIPPLITE_LIBUSB_PATH`.
   */
  constructor(tried: readonly string[], cause: unknown, fromEnv = false) {
    const install = "Debian/Ubuntu: apt-get install libusb-1.0-0, Fedora: dnf install libusb1, " +
      "macOS: brew install libusb";
    super(
      fromEnv
        ? `libusb-1.0 could not be loaded from TRIPPLITE_LIBUSB_PATH=${tried[0]}: fix the path, ` +
          `or unset it to use the system library (${install})`
        : `libusb-1.0 could not be loaded (tried ${tried.join(", ")}): install it ` +
          `(${install}) or set TRIPPLITE_LIBUSB_PATH to the library file`,
      { cause },
    );
    this.name = "LibusbNotFoundError";
    this.tried = tried;
  }
}
