namespace System
{
    // A UTF-16 string. ILC requires exactly these two fields: the length, then the
    // first character inline (the rest follow it). Literals are frozen objects
    // emitted by ILC; runtime-made strings come from RhNewString.
    public sealed class String
    {
#pragma warning disable 649
        private readonly int _stringLength;
        private char _firstChar;
#pragma warning restore 649

        public int Length => _stringLength;

        // `new string(chars)`: ILC turns the extern constructor into a call to Ctor.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        public extern String(char[] value);

        private static unsafe string Ctor(char[] value)
        {
            string result = Allocate(value.Length);
            fixed (char* source = value)
            fixed (char* destination = &result._firstChar)
                Cowbird.Runtime.Memory.Copy((byte*)destination, (byte*)source, (ulong)value.Length * sizeof(char));
            return result;
        }

        // A zero-filled string of `length` characters, to be filled in by the caller.
        private static unsafe string Allocate(int length) =>
            Cowbird.Runtime.ObjectAllocator.NewString(Internal.Runtime.MethodTable.Of<string>(), length);

        // `a + b` (null counts as empty): handy for kernel messages.
        public static string Concat(string a, string b) => Concat(a, b, null);

        // `a + b + c` (null counts as empty).
        public static unsafe string Concat(string a, string b, string c)
        {
            int lengthA = (object)a == null ? 0 : a.Length;
            int lengthB = (object)b == null ? 0 : b.Length;
            int lengthC = (object)c == null ? 0 : c.Length;
            string result = Allocate(checked(lengthA + lengthB + lengthC));
            fixed (char* destination = &result._firstChar)
            {
                CopyChars(destination, a, lengthA);
                CopyChars(destination + lengthA, b, lengthB);
                CopyChars(destination + lengthA + lengthB, c, lengthC);
            }
            return result;
        }

        private static unsafe void CopyChars(char* destination, string source, int length)
        {
            if (length == 0)
                return;
            fixed (char* chars = &source._firstChar)
                Cowbird.Runtime.Memory.Copy((byte*)destination, (byte*)chars, (ulong)length * sizeof(char));
        }

        // Lets `fixed (char* p = s)` pin a string.
        public ref readonly char GetPinnableReference() => ref _firstChar;

        [System.Runtime.CompilerServices.IndexerName("Chars")]
        public unsafe char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                fixed (char* chars = &_firstChar)
                    return chars[index];
            }
        }

        // Ordinal equality; null equals only null.
        public static bool Equals(string a, string b)
        {
            if ((object)a == (object)b) return true;
            if ((object)a == null || (object)b == null || a._stringLength != b._stringLength) return false;
            for (int i = 0; i < a._stringLength; i++)
                if (a[i] != b[i]) return false;
            return true;
        }

        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        public override int GetHashCode()
        {
            int hash = 5381;
            for (int i = 0; i < _stringLength; i++)
                hash = (hash * 33) ^ this[i];
            return hash;
        }

        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);
    }
}
