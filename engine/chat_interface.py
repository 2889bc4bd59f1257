"""`gr.ChatInterface` and `gr.ChatMessage`: a chat app around one function, drawn as text.

Gradio's ChatInterface (4.34 with `[user, bot]` pairs; 5 and 6 with `type="messages"`
dicts) calls `fn(message, history, *additional_inputs)` and shows the reply in a Chatbot.
A terminal cannot draw Gradio's chat bubbles, so the conversation is a Markdown transcript
("**You:** ... / **Assistant:** ..."), the history lives in a State, and audio in a reply
(`gr.Audio(...)`, a `{"path": ...}` or `(path,)` file content) is put into a "Reply audio"
player, so it can be heard, and named in the transcript. The `chat` endpoint takes the
message and the additional inputs and returns the reply, as Gradio's `/chat` does.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from audiotui.blocks import Blocks
from audiotui.data import FileData

_AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".m4a", ".aac", ".opus")


@dataclasses.dataclass
class ChatMessage:
    """`gr.ChatMessage` (Gradio 5): one message of a `type="messages"` history."""

    content: Any = ""
    role: str = "assistant"
    metadata: dict[str, Any] = dataclasses.field(default_factory=dict)
    options: list[dict[str, Any]] = dataclasses.field(default_factory=list)


class ChatInterface(Blocks):
    """A chatbot app around `fn(message, history, *additional_inputs)` (see module docs).

    Args:
        fn: returns (or yields, for streaming) the reply: text, a message dict or
            `ChatMessage`, a component such as `gr.Audio(path)`, or a list of those.
        type: "tuples" (Gradio 4.34's default: history is `[[user, bot], ...]`) or
            "messages" (`[{"role": ..., "content": ...}, ...]`).
        multimodal: the message is `{"text": ..., "files": [...]}` instead of a string.
        additional_inputs: components passed to `fn` after the history.
        examples: example messages (strings, or rows with the additional inputs).
        title, description: shown above the chat.
        Every other Gradio 4.34/5/6 argument is accepted; web-only ones change nothing.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        multimodal: bool = False,
        type: str | None = None,  # noqa: A002 - Gradio's parameter name
        chatbot: Any = None,
        textbox: Any = None,
        additional_inputs: Any = None,
        additional_inputs_accordion: Any = None,
        examples: list[Any] | None = None,
        title: str | None = None,
        description: str | None = None,
        submit_btn: str | bool | None = "Submit",
        api_name: str | bool = "chat",
        fill_height: bool = True,
        **kwargs: Any,
    ) -> None:
        import audiotui as gr
        from audiotui.components.registry import get_component_instance

        super().__init__(title=title or "audiotui", fill_height=fill_height)
        self.fn = fn
        self.type = "messages" if type == "messages" else "tuples"
        self.multimodal = bool(multimodal)
        extra = additional_inputs or []
        if not isinstance(extra, (list, tuple)):
            extra = [extra]
        with self:
            if title:
                gr.Markdown(f"# {title}")
            if description:
                gr.Markdown(description)
            self.transcript = gr.Markdown("*No messages yet.*", label="Chat")
            # Gradio's chat bubbles are not drawn: the transcript shows the conversation, and
            # a given Chatbot is kept (`demo.chatbot`) but not placed.
            self.chatbot = chatbot if chatbot is not None else gr.Chatbot(
                type=self.type, render=False)
            self.api_reply = gr.Textbox(visible=False, label="Reply")
            self.reply_audio = gr.Audio(label="Reply audio", interactive=False, autoplay=True)
            self.textbox = textbox if textbox is not None else gr.Textbox(
                label="Message", placeholder="Type a message…")
            if not self.textbox.is_rendered:
                self.textbox.render()
            self.history = gr.State([])
            label = "Submit" if submit_btn in (True, None) else str(submit_btn or "Submit")
            with gr.Row():
                self.submit_btn = gr.Button(label, variant="primary")
                self.clear_btn = gr.Button("Clear")
            self.additional_inputs = [get_component_instance(c, render=False) for c in extra]
            if self.additional_inputs:
                acc_label = additional_inputs_accordion if isinstance(
                    additional_inputs_accordion, str) else "Additional Inputs"
                with gr.Accordion(acc_label, open=False):
                    for component in self.additional_inputs:
                        if not component.is_rendered:
                            component.render()
            if examples:
                rows = [row if isinstance(row, (list, tuple)) else [row] for row in examples]
                rows = [[_example_text(r[0]), *r[1:]] for r in rows]
                gr.Examples(rows, [self.textbox, *self.additional_inputs][: len(rows[0])])
            inputs = [self.textbox, self.history, *self.additional_inputs]
            outputs = [self.transcript, self.history, self.textbox, self.reply_audio]
            for trigger in (self.textbox.submit, self.submit_btn.click):
                trigger(self._respond, inputs, outputs, api_name=False,
                        show_progress="minimal")
            self.clear_btn.click(
                lambda: ("*No messages yet.*", [], "", None), None, outputs, api_name=False)
            if api_name:
                from audiotui.events import _register_now

                _register_now(
                    fn=self._api_reply, triggers=[], inputs=[self.textbox, *self.additional_inputs],
                    outputs=[self.api_reply], api_name=api_name if isinstance(api_name, str)
                    else "chat", trigger_mode="once",
                )

    # -- one turn ---------------------------------------------------------------------------
    def _message(self, text: Any) -> Any:
        if self.multimodal and not isinstance(text, dict):
            return {"text": text or "", "files": []}
        return text

    def _respond(self, text: Any, history: list[Any], *extra: Any) -> Any:
        """The UI's turn: call `fn`, grow the history, redraw (each yield of a generator)."""
        message = self._message(text)
        if inspect.isasyncgenfunction(self.fn) or inspect.iscoroutinefunction(self.fn):
            return self._respond_async(message, list(history or []), extra)
        return self._respond_sync(message, list(history or []), extra)

    def _respond_sync(self, message: Any, history: list[Any], extra: tuple[Any, ...]) -> Iterator[Any]:
        result = self.fn(message, self._for_fn(history), *extra)
        if inspect.isgenerator(result):
            for partial in result:
                yield self._turn(message, history, partial)
        else:
            yield self._turn(message, history, result)

    async def _respond_async(
        self, message: Any, history: list[Any], extra: tuple[Any, ...]
    ) -> AsyncIterator[Any]:
        result = self.fn(message, self._for_fn(history), *extra)
        if inspect.isasyncgen(result):
            async for partial in result:
                yield self._turn(message, history, partial)
        else:
            yield self._turn(message, history, await result)

    def _api_reply(self, text: Any, *extra: Any) -> Any:
        """`/chat`: the reply to one message with an empty history (Gradio 5's chat API)."""
        result = self.fn(self._message(text), [], *extra)
        if inspect.isgenerator(result):  # a streaming reply: its last, complete state
            partials = list(result)
            result = partials[-1] if partials else None
        items = _reply_items(result)
        if not items:
            return None
        path = _file_path(items[-1])  # a file reply is its path (`call --out` copies it)
        return path if path is not None else items[-1]

    def _for_fn(self, history: list[Any]) -> list[Any]:
        """The history in the form `fn` expects; files as `{"path": ...}` / `(path,)`."""
        return [dict(m) if isinstance(m, dict) else list(m) for m in history]

    def _turn(self, message: Any, history: list[Any], reply: Any) -> tuple[Any, ...]:
        user_text = message.get("text", "") if isinstance(message, dict) else message
        items = _reply_items(reply)
        audio = next((i for i in reversed(items) if _is_audio(i)), None)
        if self.type == "messages":
            new = [*history, {"role": "user", "content": user_text}]
            new += [{"role": "assistant", "content": _as_content(i, messages=True)} for i in items]
        else:
            pairs = [[user_text, _as_content(items[0], messages=False) if items else None]]
            pairs += [[None, _as_content(i, messages=False)] for i in items[1:]]
            new = [*history, *pairs]
        audio_value = _file_path(audio) if audio is not None else None
        from audiotui.updates import update

        return (
            _transcript(new, self.type), new, "",
            audio_value if audio_value is not None else update(),
        )


def _example_text(value: Any) -> Any:
    return value.get("text", "") if isinstance(value, dict) else value


def _reply_items(reply: Any) -> list[Any]:
    """A reply as a list of message contents (text, files), whatever form `fn` used."""
    if reply is None:
        return []
    if isinstance(reply, list):  # several messages (Gradio 5)
        out: list[Any] = []
        for item in reply:
            out += _reply_items(item)
        return out
    if isinstance(reply, ChatMessage):
        return _reply_items(reply.content)
    if isinstance(reply, dict) and "content" in reply:
        return _reply_items(reply["content"])
    value = getattr(reply, "value", None) if hasattr(reply, "postprocess") else None
    if value is not None:  # a component such as gr.Audio(path): its stored value
        return [value]
    return [reply]


def _file_path(item: Any) -> str | None:
    if isinstance(item, FileData):
        return item.path
    if isinstance(item, dict) and isinstance(item.get("path"), str):
        return str(item["path"])
    if isinstance(item, tuple) and item and isinstance(item[0], (str, Path)):
        return str(item[0])
    return None


def _is_audio(item: Any) -> bool:
    path = _file_path(item)
    return path is not None and Path(path).suffix.lower() in _AUDIO_SUFFIXES


def _as_content(item: Any, *, messages: bool) -> Any:
    path = _file_path(item)
    if path is None:
        return item if isinstance(item, str) else str(item)
    return {"path": path} if messages else (path,)


def _transcript(history: list[Any], kind: str) -> str:
    """The conversation as Markdown: one paragraph per message, files named."""
    lines: list[str] = []

    def say(role: str, content: Any) -> None:
        if content is None:
            return
        path = _file_path(content)
        if path is not None:
            mark = "♪ audio" if _is_audio(content) else "file"
            lines.append(f"**{role}:** {mark}: `{Path(path).name}`")
        else:
            lines.append(f"**{role}:** {content}")

    for entry in history:
        if kind == "messages" and isinstance(entry, dict):
            say("You" if entry.get("role") == "user" else "Assistant", entry.get("content"))
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            say("You", entry[0])
            say("Assistant", entry[1])
    return "\n\n".join(lines) or "*No messages yet.*"
