#!/usr/bin/env python3
"""Drives Debian's headless chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
the browser reads commands on fd 3 and writes on fd 4, NUL-terminated JSON), with the standard
library only. Used by tools/ui-browser-test.sh: sign in through the pages' own form, load each page,
return its DOM (what --dump-dom prints) and save a full-page PNG screenshot."""
import base64, json, os, subprocess, tempfile, time


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, binary="chromium", width=1360):
        self.width = width
        self.profile = tempfile.mkdtemp(prefix="pyramidkv-chromium-")
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()
        # The browser's fd 3 is what we write to, its fd 4 what we read from: a shell puts the
        # pipe ends there (subprocess closes every fd it was not told to keep after preexec_fn).
        command = " ".join(["exec", binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                            "--user-data-dir=" + self.profile, "--no-first-run", "--disable-extensions",
                            "--hide-scrollbars", "about:blank", f"3<&{to_browser_r}", f"4>&{from_browser_w}"])
        self.proc = subprocess.Popen(["sh", "-c", command], pass_fds=(to_browser_r, from_browser_w),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Network.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.time() > deadline:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False, timeout=30):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._w, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for_load(self, timeout=30):
        deadline = time.time() + timeout
        while True:
            for event in self.events:
                if event.get("method") == "Page.loadEventFired":
                    self.events.clear()
                    return
            self.events.clear()
            self.events.append(self._read_message(deadline))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url):
        """Navigates, waits for the load event; returns (HTTP status of the document, DOM)."""
        self.events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for_load()
        return self.evaluate("performance.getEntriesByType('navigation')[0].responseStatus"), self.dom()

    def dom(self):
        return self.evaluate("document.documentElement.outerHTML")

    def submit_form(self, form_id, fields):
        """Types into the page's own form and submits it, as a user would; waits for the next page."""
        self.events.clear()
        script = "".join(f"document.querySelector({json.dumps('#' + form_id + ' [name=' + name + ']')}).value = "
                         f"{json.dumps(value)};" for name, value in fields.items())
        self.evaluate(script + f"document.getElementById({json.dumps(form_id)}).requestSubmit(); true")
        self.wait_for_load()

    def cookies(self):
        return self.call("Network.getCookies", session=True)["cookies"]

    def screenshot(self, path):
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": max(300, min(height, 6000)), "deviceScaleFactor": 1, "mobile": False},
                  session=True)
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except BrowserError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", self.profile])
