using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;

namespace Cowbird.Tests.Boot
{
    // A QEMU Machine Protocol client on a Unix socket (QEMU's `-qmp unix:PATH,server=on,wait=off`):
    // one JSON object per line each way. Commands are answered in order with {"return": ...}
    // or {"error": ...}; events ({"event": ...}) may arrive in between and are skipped.
    public sealed class QmpClient : IDisposable
    {
        private readonly Socket _socket;
        private readonly StreamReader _reader;
        private readonly StreamWriter _writer;

        private QmpClient(Socket socket)
        {
            _socket = socket;
            var stream = new NetworkStream(socket, ownsSocket: false);
            _reader = new StreamReader(stream, new UTF8Encoding(false));
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        }

        // Connects to the socket at `path` once QEMU has created it (polling until `deadline`),
        // reads the greeting and leaves capabilities negotiation mode.
        public static QmpClient Connect(string path, DateTime deadline)
        {
            while (true)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    socket.Connect(new UnixDomainSocketEndPoint(path));
                    var client = new QmpClient(socket);
                    client.ReadMessage();                  // {"QMP": {"version": ...}}
                    client.Execute("qmp_capabilities");
                    return client;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    socket.Dispose();
                    Thread.Sleep(100);
                }
            }
        }

        // Runs one command; returns its "return" value, throws on an "error" answer.
        public JsonNode Execute(string command, JsonObject arguments = null)
        {
            var message = new JsonObject { ["execute"] = command };
            if (arguments != null)
                message["arguments"] = arguments;
            _writer.WriteLine(message.ToJsonString());
            while (true)
            {
                JsonObject answer = ReadMessage();
                if (answer.ContainsKey("return"))
                    return answer["return"];
                if (answer.ContainsKey("error"))
                    throw new InvalidOperationException($"QMP {command} failed: {answer["error"].ToJsonString()}");
            }
        }

        // Presses the keys named by QEMU key codes ("shift", "a", "ret", "up" ...) together, in
        // order, and releases them (QEMU's send-key; keys queue behind earlier ones).
        public void SendKey(params string[] qcodes)
        {
            var keys = new JsonArray();
            foreach (string qcode in qcodes)
                keys.Add(new JsonObject { ["type"] = "qcode", ["data"] = qcode });
            Execute("send-key", new JsonObject { ["keys"] = keys });
        }

        // Presses (`down`) or releases one key at once, without send-key's automatic release:
        // pressing a key that is already down is what the keyboard's typematic repeat sends.
        public void KeyEvent(string qcode, bool down)
        {
            var key = new JsonObject { ["type"] = "qcode", ["data"] = qcode };
            var keyEvent = new JsonObject { ["type"] = "key", ["data"] = new JsonObject { ["down"] = down, ["key"] = key } };
            Execute("input-send-event", new JsonObject { ["events"] = new JsonArray { keyEvent } });
        }

        // Writes what the screen shows to `path` as a PPM image (QEMU's screendump).
        public void Screendump(string path) =>
            Execute("screendump", new JsonObject { ["filename"] = path });

        private JsonObject ReadMessage()
        {
            string line = _reader.ReadLine() ?? throw new IOException("QMP connection closed by QEMU");
            return JsonNode.Parse(line).AsObject();
        }

        public void Dispose()
        {
            _reader.Dispose();
            _writer.Dispose();
            _socket.Dispose();
        }
    }
}
