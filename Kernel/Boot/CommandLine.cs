namespace Cowbird.Kernel.Boot
{
    // The kernel command line from the boot loader: space-separated `key=value`
    // words, e.g. `selftest=banner`. The bytes stay where the loader put them.
    public unsafe sealed class CommandLine
    {
        private readonly byte* _text;
        private readonly int _length;

        public CommandLine(byte* text, int length)
        {
            _text = text;
            _length = length;
        }

        public static CommandLine Empty => new CommandLine(null, 0);

        // Makes a command line from a NUL-terminated ASCII string (null gives an empty one).
        public static CommandLine FromCString(byte* text)
        {
            int length = 0;
            if (text != null)
                while (text[length] != 0)
                    length++;
            return new CommandLine(text, length);
        }

        public int Length => _length;

        public byte* Text => _text;

        // Finds the value of `key=` and returns its position, or false when the key is absent.
        public bool TryGetValue(string key, out int valueStart, out int valueLength)
        {
            int position = 0;
            while (position < _length)
            {
                while (position < _length && _text[position] == ' ')
                    position++;
                int wordStart = position;
                while (position < _length && _text[position] != ' ')
                    position++;
                if (WordHasKey(wordStart, position, key))
                {
                    valueStart = wordStart + key.Length + 1;
                    valueLength = position - valueStart;
                    return true;
                }
            }
            valueStart = 0;
            valueLength = 0;
            return false;
        }

        // True when the word [start, end) begins with `key=`.
        private bool WordHasKey(int start, int end, string key)
        {
            if (end - start <= key.Length || _text[start + key.Length] != '=')
                return false;
            for (int i = 0; i < key.Length; i++)
                if (_text[start + i] != key[i])
                    return false;
            return true;
        }

        // The value of `key` as a decimal number: false when the key is absent, empty, not
        // all digits, or above ulong's range.
        public bool TryGetDecimal(string key, out ulong value)
        {
            value = 0;
            if (!TryGetValue(key, out int start, out int length) || length == 0)
                return false;
            for (int i = start; i < start + length; i++)
            {
                byte c = _text[i];
                if (c < '0' || c > '9' || value > (ulong.MaxValue - (ulong)(c - '0')) / 10)
                    return false;
                value = value * 10 + (ulong)(c - '0');
            }
            return true;
        }

        // True when the value of `key` is exactly `value`.
        public bool HasValue(string key, string value)
        {
            if (!TryGetValue(key, out int start, out int length) || length != value.Length)
                return false;
            for (int i = 0; i < length; i++)
                if (_text[start + i] != value[i])
                    return false;
            return true;
        }
    }
}
