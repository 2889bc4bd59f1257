"""AudiotuiApp: draws a Blocks app from its engine Session and forwards user actions.

The app is deliberately thin: widgets own their drawing, the Session owns values and runs
functions. User actions are queued and handed to the Session in order (an input must be
stored before the click that reads it); Session events come back as messages.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Header

from audiotui.tui import keys
from audiotui.tui.footer import KeyFooter
from audiotui.tui.interactivity import interactive_ids
from audiotui.tui.layout import build_children
from audiotui.tui.messages import ComponentEvent, ComponentInput, SessionEventMessage
from audiotui.tui.output_clock import OutputClock
from audiotui.tui.render import RenderedLayouts
from audiotui.tui.session_link import SessionLink
from audiotui.tui.undo import ClearUndo
from audiotui.tui.widgets import widget_class
from audiotui.tui.widgets.base import ComponentWidget
from audiotui.tui.widgets.job_status import JobStatus
from audiotui.tui.widgets.print_log import PrintLog

NARROW_COLUMNS = 100
"""Below this width Rows stack vertically (Interface inputs above outputs)."""


def terminal_wants_ascii() -> bool:
    """Braille needs UTF-8; fall back to ASCII when the terminal's encoding is not."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return bool(encoding) and encoding != "utf8"


class AudiotuiApp(App[None]):
    """One Blocks app in the terminal, backed by one engine Session."""

    CSS_PATH = "audiotui.tcss"
    TITLE = "audiotui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(keys.HELP_KEY, "help", "keys", priority=True),
        Binding(keys.SUBMIT_KEY, "submit", "submit", priority=True),
        Binding("ctrl+l", "toggle_log", "print log"),
        Binding("ctrl+z", "undo_clear", "undo Clear", show=False),
        Binding("ctrl+q", "quit", "quit", priority=True),
    ]
    """App-wide keys; component keys live on their widgets."""

    def __init__(
        self,
        blocks: Any,
        *,
        input_device: int | str | None = None,
        output_device: int | str | None = None,
        ascii: bool = False,  # noqa: A002 - the CLI flag's name
        fps: int = 20,
        mouse: bool = True,
        probe_hardware: bool = True,
        startup_notices: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(driver_class=_terminal_driver_class())
        self.startup_notices = list(startup_notices or [])
        """(title, message) pairs said before the UI opened (a repaired take, load warnings):
        the alternate screen hides what was printed, so they are shown again as toasts."""
        self.blocks = blocks
        self.input_device = input_device
        self.output_device = output_device
        self.ascii = ascii or terminal_wants_ascii()
        if self.ascii:  # borders, icons and buttons too, not only the waveform
            from audiotui.tui.ascii_filter import AsciiFilter

            self._filters.append(AsciiFilter())
        self.fps = max(int(fps), 1)
        self.mouse = mouse
        self.probe_hardware = probe_hardware
        self.hardware: Any = None
        self.session: Any = None
        self.component_widgets: dict[int, ComponentWidget] = {}
        self.layout_widgets: dict[int, Widget] = {}
        # An Interface's own title is drawn as its Markdown heading; the bar names the tool.
        title = str(getattr(blocks, "title", None) or "audiotui")
        self.title = "audiotui" if getattr(blocks, "interface_title", None) else title
        self.link = SessionLink(self)
        self._unsubscribe: Any = None
        self._tabs_shown: set[int] = set()
        self.renders = RenderedLayouts(self)
        self.clear_undo = ClearUndo()
        self.output_clock = OutputClock(self)
        self._probing = False
        self.shutdown: Any = None
        """The run's `audiotui.tui.shutdown.Shutdown` (set by `run_app`; None in tests)."""
        self.crash: tuple[str, Path | None] | None = None
        """(one-line summary, saved traceback) once the UI itself failed."""
        self.output_capture: Any = None
        """`terminal.OutputCapture` of fds 1/2 while the UI runs in a terminal."""

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts carry engine and user text (paths, device names), not markup.

        Textual reads markup by default, and "[/dev/snd]" in an error message would then
        take the whole UI down while drawing the toast meant to explain the error.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- leaving ------------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit now: a function still running in a thread is abandoned, never waited for."""
        if self.shutdown is not None:
            self.shutdown.begin("quit")
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit; say which key does (Textual's hint is markup, ours is not)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def key_from_terminal(self, key: str) -> None:
        """On the driver's input thread, before the event loop sees the key.

        ctrl+q starts the bounded shutdown from here, so quitting works even while an async
        user function that blocks (time.sleep in `async def`) holds the loop: the loop then
        never runs `action_quit`, and the deadline ends the process.
        """
        if key == "ctrl+q" and self.shutdown is not None:
            self.shutdown.begin("quit")

    def terminal_gone(self, why: str) -> None:
        """From the driver's threads: the terminal is gone (EOF, EIO, a failed write)."""
        if self.shutdown is not None:
            self.shutdown.terminal_gone(why)
            return
        loop = getattr(self, "_loop", None)
        if loop is not None:
            loop.call_soon_threadsafe(self.exit, None, 129)

    def _capture_native_output(self) -> None:
        """Writes to fds 1/2 (os.write, C code, subprocesses) go to the print log.

        Only when drawing on a real terminal through our driver, which draws on its own
        duplicate of it; headless tests keep their fds.
        """
        driver = getattr(self, "_driver", None)
        output = getattr(driver, "output", None)
        if output is None or self.output_capture is not None:
            return
        from audiotui.tui.terminal import OutputCapture

        # write_text is the print log's any-thread entry (the pipe reader's thread calls it).
        capture = OutputCapture(self.query_one(PrintLog).write_text)
        if capture.start(keep=output.fileno()):
            self.output_capture = capture

    def _handle_exception(self, error: Exception) -> None:
        """A failure of the UI itself: keep the traceback in a file for the one-line report."""
        if self.crash is None and not self.is_headless:
            from audiotui.tui.shutdown import describe_exception, save_crash_report

            summary, text = describe_exception(error)
            self.crash = (summary, save_crash_report(text))
        super()._handle_exception(error)

    def panic(self, *renderables: Any) -> None:
        if self.crash is None and not self.is_headless:
            from rich.console import Console

            from audiotui.tui.shutdown import describe_exception, save_crash_report

            exc = sys.exc_info()[1]
            buffer = io.StringIO()
            console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
            for renderable in renderables:
                console.print(renderable)
            text = buffer.getvalue()
            if exc is not None:
                summary, trace = describe_exception(exc)
                text = text or trace
            else:
                summary = next((line.strip() for line in text.splitlines() if line.strip()),
                               "unknown error")
            self.crash = (summary, save_crash_report(text))
        super().panic(*renderables)

    def _print_error_renderables(self) -> None:
        """After a crash `run_app` prints one line; Textual's full traceback is in the file."""
        if self.crash is not None:
            self._exit_renderables.clear()
            return
        super()._print_error_renderables()

    # -- building -----------------------------------------------------------------------------
    def _make_session(self) -> Any:
        from audiotui.runtime import Session

        return Session(self.blocks)

    def compose(self) -> ComposeResult:
        self.session = self._make_session()
        self._editable = interactive_ids(self.blocks, self.session)
        yield Header(show_clock=False, icon="♪")
        with VerticalScroll(id="main"):
            heading = getattr(self.blocks, "interface_title", None)
            if heading:
                from textual.widgets import Markdown  # markdown-it only when needed

                yield Markdown(f"# {heading}", id="interface-title")
            # Render containers are empty until start(); their first LayoutChanged fills them.
            yield from build_children(self.blocks, self._component_widget, self.layout_widgets,
                                      self.session.layout_children)
        yield JobStatus(id="job-status")
        yield PrintLog(id="print-log")
        yield KeyFooter()

    def _component_widget(self, component: Any) -> Widget:
        cls = widget_class(component)
        widget: ComponentWidget = cls(
            component, self.session.get_value(component),
            interactive=component.id in self._editable,
        )
        self.component_widgets[component.id] = widget
        return widget

    async def on_mount(self) -> None:
        from audiotui.tui.colours import apply_colour_depth

        apply_colour_depth(self)  # borders and labels legible at the terminal's depth
        self.begin_capture_print(self.query_one(PrintLog))
        self._capture_native_output()
        self._unsubscribe = self.session.subscribe(self._from_session)
        self.run_worker(self.link.drain(), group="actions", exit_on_error=False)
        self.run_worker(self._start_session(), group="session", exit_on_error=False)
        needs_audio = any(hasattr(w, "set_hardware") for w in self.component_widgets.values())
        if self.probe_hardware and needs_audio:
            # After the first frame: loading PortAudio must never delay it.
            self.call_after_refresh(self._probe_hardware)
        self._apply_width(self.size.width)
        # Focus is set before the first frame is drawn, so a key typed the moment the screen
        # appears lands in the first input (after a refresh it was lost to the scroll view);
        # again after the first refresh, for widgets whose parts mount later.
        keys.focus_first_input(self)
        self.call_after_refresh(keys.focus_first_input, self)
        for title, message in self.startup_notices:
            self.notify(message, title=title, severity="warning", timeout=20)

    async def _start_session(self) -> None:
        try:
            await self.session.start()
        except Exception as exc:  # a failing load function must not take the UI down
            self.notify(str(exc), title="App start-up failed", severity="error", timeout=30)

    def _probe_hardware(self) -> None:
        if self._probing:  # one probe answers every audio widget, rendered ones included
            return
        self._probing = True
        self.run_worker(self._probe_in_thread, thread=True, group="hardware",
                        exit_on_error=False)

    def _probe_in_thread(self) -> None:
        from audiotui.media.devices import hardware_status

        status = hardware_status()
        self.call_from_thread(self.set_hardware, status)
        if getattr(status, "available", False):
            for problem in keys.device_problems(self.input_device, self.output_device):
                # A bad device name is said on the first screen, not at the first Play.
                self.call_from_thread(self.notify, problem, title="Audio device",
                                      severity="error", timeout=30)

    def set_hardware(self, status: Any) -> None:
        """Tell every audio widget whether recording/playback can work (and why not)."""
        self.hardware = status
        for widget in self.component_widgets.values():
            setter = getattr(widget, "set_hardware", None)
            if setter is not None:
                setter(status)
        if not getattr(status, "available", True):
            # The widgets' status lines are narrow; the whole sentence (with its fix) goes
            # into one toast so it can be read at any terminal width.
            self.notify(
                str(getattr(status, "reason", "")), title="Recording and playback are off",
                severity="warning", timeout=15,
            )

    async def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        for widget in self.component_widgets.values():
            shutdown = getattr(widget, "shutdown", None)
            if shutdown is not None:
                shutdown()
        if self.session is not None:
            await self.session.close()

    # -- layout -----------------------------------------------------------------------------
    def on_resize(self, event: Any) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW_COLUMNS, "-narrow")

    def action_toggle_log(self) -> None:
        self.query_one(PrintLog).toggle()

    def action_undo_clear(self) -> None:
        """ctrl+z outside a widget with its own undo: bring back what Clear wiped."""
        if not self.clear_undo.undo(self):
            self.notify("nothing to undo", timeout=2)

    def action_submit(self) -> None:
        """The Submit key: press the app's one obvious button from any field."""
        keys.submit(self)

    def action_help(self) -> None:
        from audiotui.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The Submit key is shown (and works) only where there is one button to press."""
        if action == "submit":
            return keys.submit_target(self) is not None
        return True

    # -- UI -> Session ------------------------------------------------------------------------
    def _layout_block(self, widget: Any) -> Any:
        for block_id, layout in self.layout_widgets.items():
            if layout is widget:
                block = self.blocks.blocks.get(block_id)
                if block is None and self.session is not None:  # drawn by gr.render
                    block = next((b for b in self.session.walk() if b.id == block_id), None)
                return block
        return None

    def on_tabbed_content_tab_activated(self, event: Any) -> None:
        if id(event.tabbed_content) not in self._tabs_shown:
            self._tabs_shown.add(id(event.tabbed_content))  # the initial tab: not a select
            return
        if id(event.tabbed_content) in self.link.tabs_set_by_app:
            self.link.tabs_set_by_app.discard(id(event.tabbed_content))
            return
        tab = self._layout_block(event.pane)
        if tab is not None:
            self.link.event(tab, "select", {"value": getattr(tab, "label", None),
                                            "selected": True})

    def on_collapsible_expanded(self, event: Any) -> None:
        block = self._layout_block(event.collapsible)
        if block is not None:
            self.link.event(block, "expand")

    def on_collapsible_collapsed(self, event: Any) -> None:
        block = self._layout_block(event.collapsible)
        if block is not None:
            self.link.event(block, "collapse")

    def on_component_input(self, message: ComponentInput) -> None:
        self.link.input(message.component, message.value, quiet=message.quiet)

    def on_component_event(self, message: ComponentEvent) -> None:
        if message.event == "click":
            self.clear_undo.before_click(self, message.component)
        self.link.event(message.component, message.event, message.data)

    async def settle(self) -> None:
        """Wait until queued actions were handed over (tests and benchmarks use it)."""
        await self.link.settle()

    # -- Session -> UI ------------------------------------------------------------------------
    def _from_session(self, event: Any) -> None:
        self.post_message(SessionEventMessage(event))

    async def on_session_event_message(self, message: SessionEventMessage) -> None:
        await self.link.show(message.event)

    def refresh_editable(self) -> None:
        """Recompute which components the user may edit (a render changed the listeners)."""
        self._editable = interactive_ids(self.blocks, self.session)

    def hardware_for(self, widgets: list[Any]) -> None:
        """Tell newly drawn audio widgets (from a render) what the hardware allows."""
        audio = [w for w in widgets if hasattr(w, "set_hardware")]
        if audio and self.hardware is not None:
            for widget in audio:
                widget.set_hardware(self.hardware)
        elif audio and self.probe_hardware:
            self._probe_hardware()


def _terminal_driver_class() -> Any:
    """Our `TerminalDriver` where Textual would use its LinuxDriver; None (auto) elsewhere."""
    if sys.platform == "win32":
        return None
    from audiotui.tui.terminal import TerminalDriver

    return TerminalDriver
