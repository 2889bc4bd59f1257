"""The SSH audio bridge: the laptop's microphones and speakers on a remote HOST.

`audiotui ssh` starts an *agent* on the laptop (agent.py: opens PortAudio streams, moves PCM
blocks, never runs user code) and forwards its Unix socket to HOST over the same SSH
connection (`ssh -R`). On HOST, `audiotui.media.backend` opens `local:<name>` devices through
host.py, which speaks protocol.py to the agent. jitter.py keeps playback smooth across network
jitter and the drift between HOST's clock and the laptop's sound card.
"""
