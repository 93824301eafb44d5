#!/usr/bin/python3
"""Virtual TrippLite UPSes: serve device dumps as live USB HID devices to real libusb.

Usage (run with /usr/bin/python3: needs umockdev's GI bindings):
  vups.py --config CFG.json [--tmpdir DIR] [--verbose] -- CMD ARGS...
      run CMD under the emulator (LD_PRELOAD + UMOCKDEV_DIR), exit with its code
  vups.py --config CFG.json [--tmpdir DIR] [--watch-stdin]
      daemon: print UMOCKDEV_DIR=<dir> on stdout, serve until SIGTERM/SIGINT
      (or, with --watch-stdin, until stdin closes: the harness's lifeline)

Config: {"devices": [{"dump": "/abs/dump.json", "path": "1-1.4", "kernelDriver": "usbhid",
                      "devnodeMode": "0644", "emptySerial": "absent"}],
         "control": "/abs/ctl.json", "events": "/abs/events.jsonl",
         "status": "/abs/status.json", "shared": false, "reapThrottleMs": 2}
See README.md next to this file for the control, events and status formats.
"""
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ inside the source tree

PRELOAD = 'libumockdev-preload.so.0'
POLL_INTERVAL = 0.02


def reexec_under_preload():
    # umockdev only delivers uevents (unplug, replug) to libudev/libusb monitors
    # when the testbed process itself runs under the preload library.
    if PRELOAD in os.environ.get('LD_PRELOAD', ''):
        return
    env = dict(os.environ)
    env['LD_PRELOAD'] = PRELOAD + (':' + env['LD_PRELOAD'] if env.get('LD_PRELOAD') else '')
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def parse_args(argv):
    opts = {'config': None, 'tmpdir': None, 'verbose': False, 'watch_stdin': False, 'cmd': []}
    if '--' in argv:
        i = argv.index('--')
        argv, opts['cmd'] = argv[:i], argv[i + 1:]
    it = iter(argv)
    for a in it:
        if a in ('--config', '--tmpdir'):
            v = next(it, None)
            if v is None:
                usage('%s needs a value' % a)
            opts[a[2:]] = v
        elif a == '--verbose':
            opts['verbose'] = True
        elif a == '--watch-stdin':
            opts['watch_stdin'] = True
        elif a in ('-h', '--help'):
            print(__doc__)
            sys.exit(0)
        else:
            usage('unknown argument %s' % a)
    if not opts['config']:
        usage('--config is required')
    return opts


def usage(msg):
    print('vups: %s (see --help)' % msg, file=sys.stderr)
    sys.exit(2)


def main():
    opts = parse_args(sys.argv[1:])
    reexec_under_preload()
    import json
    import shutil
    import signal
    import subprocess
    import threading

    from emulator.dump import ConfigError
    from emulator.testbed import Emulator

    try:
        with open(opts['config'], encoding='utf-8') as f:
            config = json.load(f)
        if not isinstance(config, dict) or not isinstance(config.get('devices'), list) \
                or not config['devices']:
            raise ConfigError('config: needs "devices": [ {"dump": ...}, ... ]')
    except OSError as e:
        print('vups: cannot read config %s: %s' % (opts['config'], e.strerror), file=sys.stderr)
        return 2
    except ValueError as e:
        print('vups: config %s is not JSON: %s' % (opts['config'], e), file=sys.stderr)
        return 2
    except ConfigError as e:
        print('vups: %s' % e, file=sys.stderr)
        return 2

    # GLib picks the testbed's parent directory from TMPDIR: keep it short, the
    # ioctl sockets below it must fit in sun_path (108 bytes).
    saved_tmpdir = os.environ.get('TMPDIR')
    if opts['tmpdir']:
        os.environ['TMPDIR'] = opts['tmpdir']
    try:
        emu = Emulator(config)
    except ConfigError as e:
        print('vups: %s' % e, file=sys.stderr)
        return 2
    finally:
        if saved_tmpdir is None:
            os.environ.pop('TMPDIR', None)
        else:
            os.environ['TMPDIR'] = saved_tmpdir
    if opts['verbose']:
        print('vups: testbed %s, devices %s' % (emu.root, ', '.join(
            '%s=%03d/%03d' % (d.name, d.path.bus, d.devnum) for d in emu.devices)),
            file=sys.stderr, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        if not opts['cmd']:
            print('UMOCKDEV_DIR=%s' % emu.root, flush=True)
            if opts['watch_stdin']:
                threading.Thread(target=lambda: (sys.stdin.buffer.read(), stop.set()),
                                 daemon=True).start()
            while not stop.is_set():
                emu.poll()
                stop.wait(POLL_INTERVAL)    # waiting releases the GIL for umockdev's thread
            return 0
        env = dict(os.environ, UMOCKDEV_DIR=emu.root)
        try:
            proc = subprocess.Popen(opts['cmd'], env=env)
        except OSError as e:
            print('vups: cannot run %s: %s' % (opts['cmd'][0], e.strerror), file=sys.stderr)
            return 127
        while proc.poll() is None:
            if stop.is_set():
                proc.terminate()
                stop.clear()
            emu.poll()
            stop.wait(POLL_INTERVAL)
        emu.poll()
        return proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    finally:
        shutil.rmtree(emu.root, ignore_errors=True)   # the Testbed finalizer rarely runs


if __name__ == '__main__':
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)   # skip GObject/interpreter teardown (slow, and racy with umockdev's thread)
