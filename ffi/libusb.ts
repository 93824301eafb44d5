/**
 * The libusb-1.0 symbol table and the library loader. The C prototype of
 * each function sits beside its entry. Calls that do USB I/O on the wire
 * (control transfers) are `nonblocking` so that a
 * slow or hung device never stalls the event loop; calls that only touch the
 * kernel or libusb's own memory stay synchronous.
 *
 * The functions are bound on first use ({@link openLibrary} says why).
 *
 * @module
 */

import { type BoundSymbols, openLibrary } from "./bind.ts";
import { LibusbNotFoundError } from "./errors.ts";

/** Environment variable naming the libusb-1.0 library file to load instead of the system one. */
export const LIBUSB_PATH_ENV = "TRIPPLITE_LIBUSB_PATH";

/** libusb-1.0 functions used by the project. */
export const symbols = {
  // int libusb_init(libusb_context **ctx);
  libusb_init: { parameters: ["buffer"], result: "i32" },
  // void libusb_exit(libusb_context *ctx);
  libusb_exit: { parameters: ["pointer"], result: "void" },
  // ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list);
  libusb_get_device_list: { parameters: ["pointer", "buffer"], result: "isize" },
  // void libusb_free_device_list(libusb_device **list, int unref_devices);
  libusb_free_device_list: { parameters: ["pointer", "i32"], result: "void" },
  // int libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc);
  libusb_get_device_descriptor: { parameters: ["pointer", "buffer"], result: "i32" },
  // uint8_t libusb_get_bus_number(libusb_device *dev);
  libusb_get_bus_number: { parameters: ["pointer"], result: "u8" },
  // uint8_t libusb_get_device_address(libusb_device *dev);
  libusb_get_device_address: { parameters: ["pointer"], result: "u8" },
  // int libusb_get_port_numbers(libusb_device *dev, uint8_t *port_numbers, int port_numbers_len);
  libusb_get_port_numbers: { parameters: ["pointer", "buffer", "i32"], result: "i32" },
  // int libusb_get_active_config_descriptor(libusb_device *dev,
  //     struct libusb_config_descriptor **config);
  libusb_get_active_config_descriptor: { parameters: ["pointer", "buffer"], result: "i32" },
  // void libusb_free_config_descriptor(struct libusb_config_descriptor *config);
  libusb_free_config_descriptor: { parameters: ["pointer"], result: "void" },

  // int libusb_open(libusb_device *dev, libusb_device_handle **dev_handle);
  libusb_open: { parameters: ["pointer", "buffer"], result: "i32" },
  // void libusb_close(libusb_device_handle *dev_handle);
  libusb_close: { parameters: ["pointer"], result: "void" },
  // int libusb_kernel_driver_active(libusb_device_handle *dev_handle, int interface_number);
  libusb_kernel_driver_active: { parameters: ["pointer", "i32"], result: "i32" },
  // int libusb_set_auto_detach_kernel_driver(libusb_device_handle *dev_handle, int enable);
  libusb_set_auto_detach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  // int libusb_attach_kernel_driver(libusb_device_handle *dev_handle, int interface_number);
  libusb_attach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  // int libusb_claim_interface(libusb_device_handle *dev_handle, int interface_number);
  libusb_claim_interface: { parameters: ["pointer", "i32"], result: "i32" },
  // int libusb_release_interface(libusb_device_handle *dev_handle, int interface_number);
  libusb_release_interface: { parameters: ["pointer", "i32"], result: "i32" },

  // int libusb_control_transfer(libusb_device_handle *dev_handle, uint8_t request_type,
  //     uint8_t bRequest, uint16_t wValue, uint16_t wIndex, unsigned char *data,
  //     uint16_t wLength, unsigned int timeout);
  libusb_control_transfer: {
    parameters: ["pointer", "u8", "u8", "u16", "u16", "buffer", "u16", "u32"],
    result: "i32",
    nonblocking: true,
  },

  // const char *libusb_error_name(int errcode);
  libusb_error_name: { parameters: ["i32"], result: "pointer" },
  // const struct libusb_version *libusb_get_version(void);
  libusb_get_version: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The loaded libusb functions. */
export type Libusb = BoundSymbols<typeof symbols>;

let loaded: Libusb | undefined;

/**
 * Library names or paths to try, in order: `TRIPPLITE_LIBUSB_PATH` alone when
 * set, else the platform's usual name (and, on macOS, Homebrew's locations,
 * which the dynamic loader does not search by default).
 */
export function libusbCandidates(
  os: typeof Deno.build.os = Deno.build.os,
  override: string | undefined = readOverride(),
): string[] {
  if (override) return [override];
  switch (os) {
    case "darwin":
      return [
        "/opt/homebrew/lib/libusb-1.0.0.dylib",
        "/usr/local/lib/libusb-1.0.0.dylib",
        "libusb-1.0.0.dylib",
      ];
    case "windows":
      return ["libusb-1.0.dll"];
    default:
      return ["libusb-1.0.so.0"];
  }
}

function readOverride(): string | undefined {
  try {
    return Deno.env.get(LIBUSB_PATH_ENV) || undefined;
  } catch {
    return undefined; // no --allow-env for it: the system library is what was meant
  }
}

/**
 * Loads libusb-1.0 on first call and returns its functions; later calls
 * return the same object. Throws {@link LibusbNotFoundError} when no
 * candidate loads; a missing `--allow-ffi` permission is rethrown as is.
 */
export function libusb(): Libusb {
  if (loaded) return loaded;
  const override = readOverride();
  const tried = libusbCandidates(Deno.build.os, override);
  const errors: unknown[] = [];
  for (const path of tried) {
    try {
      loaded = openLibrary(path, symbols);
      return loaded;
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
        throw e;
      }
      errors.push(e);
    }
  }
  const cause = errors.length === 1
    ? errors[0]
    : new AggregateError(errors, `dlopen failed for ${tried.join(", ")}`);
  throw new LibusbNotFoundError(tried, cause, override !== undefined);
}
