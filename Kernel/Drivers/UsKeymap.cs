namespace Cowbird.Kernel.Drivers
{
    // The US keyboard layout: which character each key gives, by its scancode-set-1 make
    // code (what the i8042 delivers with translation on). One table without Shift, one
    // with it; '\0' = the key gives no character (modifiers, function keys, unknown).
    // Keys give the bytes a serial terminal sends: Enter '\r', Backspace DEL (0x7F),
    // Escape 0x1B. The keypad gives its digits (as with Num Lock on).
    public static class UsKeymap
    {
        // Make codes of the keys the decoder treats specially.
        public const byte LeftShift = 0x2A;
        public const byte RightShift = 0x36;
        public const byte Control = 0x1D;        // left; right Ctrl is E0 1D
        public const byte CapsLock = 0x3A;

        // Extended keys (after an E0 prefix).
        public const byte ExtendedUp = 0x48;
        public const byte ExtendedDown = 0x50;
        public const byte ExtendedLeft = 0x4B;
        public const byte ExtendedRight = 0x4D;
        public const byte ExtendedHome = 0x47;
        public const byte ExtendedEnd = 0x4F;
        public const byte ExtendedInsert = 0x52;
        public const byte ExtendedDelete = 0x53;
        public const byte ExtendedPageUp = 0x49;
        public const byte ExtendedPageDown = 0x51;
        public const byte ExtendedKeypadEnter = 0x1C;
        public const byte ExtendedKeypadSlash = 0x35;

        // Indexed by make code 0x00..0x53.
        private const string Plain =
            "\0\x1b" + "1234567890-=\x7f" +          // 0x00..0x0E
            "\tqwertyuiop[]\r" +                      // 0x0F..0x1C
            "\0asdfghjkl;'`" +                        // 0x1D..0x29 (0x1D Ctrl)
            "\0\\zxcvbnm,./\0" +                      // 0x2A..0x36 (Shifts)
            "*\0 \0" +                                // 0x37..0x3A (keypad *, Alt, space, Caps Lock)
            "\0\0\0\0\0\0\0\0\0\0\0\0" +              // 0x3B..0x46 (F1..F10, Num Lock, Scroll Lock)
            "789-456+1230.";                          // 0x47..0x53 (keypad)

        private const string Shifted =
            "\0\x1b" + "!@#$%^&*()_+\x7f" +
            "\tQWERTYUIOP{}\r" +
            "\0ASDFGHJKL:\"~" +
            "\0|ZXCVBNM<>?\0" +
            "*\0 \0" +
            "\0\0\0\0\0\0\0\0\0\0\0\0" +
            "789-456+1230.";

        // The character of make code `code`, with or without Shift; '\0' if it has none.
        public static char Character(byte code, bool shift)
        {
            string table = shift ? Shifted : Plain;
            return code < table.Length ? table[code] : '\0';
        }
    }
}
