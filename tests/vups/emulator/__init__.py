"""The virtual UPS emulator: dump-driven USB HID devices served through umockdev.

Modules, from the bottom up:
  dump        read and check a `tripplite-dump/1` document
  descriptors USB descriptor bytes built from a dump
  topology    bus/port paths, device numbers and the umockdev sysfs records
  usbfs       usbdevfs ioctl numbers and the URB layout
  files       the control file (read), the events log and the status file (written)
  device      one emulated device: usbfs semantics on top of umockdev's ioctl socket
  testbed     the umockdev testbed holding every device, plug and unplug
"""
