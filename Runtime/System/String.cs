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
