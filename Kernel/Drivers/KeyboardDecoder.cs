namespace Cowbird.Kernel.Drivers
{
    // Turns scancode-set-1 bytes into the bytes a terminal sends, one scancode at a time.
    // Set 1: a key's make code (pressed, or repeated while held: the keyboard's typematic
    // repeat just sends it again) is below 0x80, its break code (released) is make | 0x80.
    // E0 announces an extended key (arrows, right Ctrl, keypad Enter ...), E1 the Pause
    // key's 6-byte sequence (E1 1D 45 E1 9D C5), which gives nothing.
    // Modifiers: Shift (either), Ctrl (either) and Caps Lock (toggles, letters only).
    // Ctrl with a letter or one of @[\]^_ gives the control byte (Ctrl-C = 0x03), as a
    // terminal does. Arrows and the editing keys give ANSI/xterm escape sequences.
    public sealed class KeyboardDecoder
    {
        // The longest sequence Decode writes ("ESC [ 3 ~").
        public const int MaxOutput = 4;

        private const byte BreakBit = 0x80;
        private const byte ExtendedPrefix = 0xE0;
        private const byte PausePrefix = 0xE1;
        private const int PauseSequenceTail = 2;   // bytes after each E1
        private const byte Escape = 0x1B;

        private bool _leftShift, _rightShift, _leftControl, _rightControl, _capsLock;
        private bool _extended;
        private int _skip;

        // Decodes one scancode byte into `output` (room for MaxOutput bytes); returns how
        // many bytes it wrote (0 for modifiers, releases, prefixes and keys without a character).
        public unsafe int Decode(byte scancode, byte* output)
        {
            if (_skip > 0)
            {
                _skip--;
                return 0;
            }
            if (scancode == ExtendedPrefix)
            {
                _extended = true;
                return 0;
            }
            if (scancode == PausePrefix)
            {
                _skip = PauseSequenceTail;
                return 0;
            }
            bool extended = _extended;
            _extended = false;
            bool pressed = (scancode & BreakBit) == 0;
            byte code = (byte)(scancode & ~BreakBit);
            if (TrackModifier(code, extended, pressed) || !pressed)
                return 0;
            return extended ? ExtendedKey(code, output) : PlainKey(code, output);
        }

        // Updates the modifier state; true if `code` was a modifier key.
        private bool TrackModifier(byte code, bool extended, bool pressed)
        {
            if (code == UsKeymap.Control)
            {
                if (extended)
                    _rightControl = pressed;
                else
                    _leftControl = pressed;
                return true;
            }
            if (code == UsKeymap.LeftShift || code == UsKeymap.RightShift)
            {
                // E0 2A / E0 36 are "fake shifts" some keyboards wrap around extended keys: ignored.
                if (extended)
                    return true;
                if (code == UsKeymap.LeftShift)
                    _leftShift = pressed;
                else
                    _rightShift = pressed;
                return true;
            }
            if (code == UsKeymap.CapsLock && !extended)
            {
                if (pressed)
                    _capsLock = !_capsLock;
                return true;
            }
            return false;
        }

        private unsafe int PlainKey(byte code, byte* output)
        {
            bool shift = _leftShift || _rightShift;
            char c = UsKeymap.Character(code, shift);
            if (c == '\0')
                return 0;
            if (_capsLock && IsLetter(c))
                c = UsKeymap.Character(code, !shift);
            if (_leftControl || _rightControl)
            {
                char upper = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
                if (upper < '@' || upper > '_')
                    return 0;             // Ctrl with a digit or a sign: nothing, like most terminals
                c = (char)(upper & 0x1F);
            }
            output[0] = (byte)c;
            return 1;
        }

        private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        // Arrows: ESC [ A..D; Home/End: ESC [ H / F; Insert, Delete, Page Up/Down: ESC [ n ~.
        private unsafe int ExtendedKey(byte code, byte* output)
        {
            switch (code)
            {
                case UsKeymap.ExtendedUp: return Csi(output, 'A');
                case UsKeymap.ExtendedDown: return Csi(output, 'B');
                case UsKeymap.ExtendedRight: return Csi(output, 'C');
                case UsKeymap.ExtendedLeft: return Csi(output, 'D');
                case UsKeymap.ExtendedHome: return Csi(output, 'H');
                case UsKeymap.ExtendedEnd: return Csi(output, 'F');
                case UsKeymap.ExtendedInsert: return CsiTilde(output, '2');
                case UsKeymap.ExtendedDelete: return CsiTilde(output, '3');
                case UsKeymap.ExtendedPageUp: return CsiTilde(output, '5');
                case UsKeymap.ExtendedPageDown: return CsiTilde(output, '6');
                case UsKeymap.ExtendedKeypadEnter: output[0] = (byte)'\r'; return 1;
                case UsKeymap.ExtendedKeypadSlash: output[0] = (byte)'/'; return 1;
                default: return 0;        // right Alt, Windows keys, multimedia keys ...
            }
        }

        private static unsafe int Csi(byte* output, char final)
        {
            output[0] = Escape;
            output[1] = (byte)'[';
            output[2] = (byte)final;
            return 3;
        }

        private static unsafe int CsiTilde(byte* output, char number)
        {
            output[0] = Escape;
            output[1] = (byte)'[';
            output[2] = (byte)number;
            output[3] = (byte)'~';
            return 4;
        }
    }
}
