// The single fields are read only by the compilers, never by C# code.
#pragma warning disable 169

namespace System
{
    // Handles the compiler emits for `typeof`, `ldtoken` of fields (array
    // initialisers) and methods. They wrap raw pointers into the image.
    public struct RuntimeTypeHandle
    {
        private IntPtr _value;
    }

    public struct RuntimeMethodHandle
    {
        private IntPtr _value;
    }

    public struct RuntimeFieldHandle
    {
        private IntPtr _value;
    }

    // `typeof(T)` produces one of these; reflection is not supported, so it only names a type.
    public abstract class Type
    {
    }

    internal sealed class RuntimeType : Type
    {
    }
}
