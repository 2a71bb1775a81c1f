// The single fields are read only by the compilers, never by C# code.
#pragma warning disable 169

// The built-in value types. Their single field is how the C# compiler and ILC
// recognise them; the constants are the members kernel code actually uses.
namespace System
{
    public struct Void { }

    public struct Boolean { private bool m_value; }

    public struct Char
    {
        private char m_value;
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
    }

    public struct SByte
    {
        private sbyte m_value;
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
    }

    public struct Byte
    {
        private byte m_value;
        public const byte MaxValue = 255;
        public const byte MinValue = 0;
    }

    public struct Int16
    {
        private short m_value;
        public const short MaxValue = 32767;
        public const short MinValue = -32768;
    }

    public struct UInt16
    {
        private ushort m_value;
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
    }

    public struct Int32
    {
        private int m_value;
        public const int MaxValue = 0x7FFFFFFF;
        public const int MinValue = unchecked((int)0x80000000);
    }

    public struct UInt32
    {
        private uint m_value;
        public const uint MaxValue = 0xFFFFFFFF;
        public const uint MinValue = 0;
    }

    public struct Int64
    {
        private long m_value;
        public const long MaxValue = 0x7FFFFFFFFFFFFFFF;
        public const long MinValue = unchecked((long)0x8000000000000000);
    }

    public struct UInt64
    {
        private ulong m_value;
        public const ulong MaxValue = 0xFFFFFFFFFFFFFFFF;
        public const ulong MinValue = 0;
    }

    public struct IntPtr
    {
        private unsafe void* m_value;
        public static readonly IntPtr Zero;
    }

    public struct UIntPtr
    {
        private unsafe void* m_value;
        public static readonly UIntPtr Zero;
    }

    public struct Single { private float m_value; }

    public struct Double { private double m_value; }
}
