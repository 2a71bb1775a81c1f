namespace System.Runtime.InteropServices
{
    public enum LayoutKind
    {
        Sequential = 0,
        Explicit = 2,
        Auto = 3,
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public int Pack;
        public int Size;

        public StructLayoutAttribute(LayoutKind layoutKind) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class InAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class OutAttribute : Attribute { }

    // An entry point that native code (the boot stub, interrupt stubs) may call directly.
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public string EntryPoint;
        public Type[] CallConvs;
    }

    // Lets an object claim interfaces at run time. The kernel never uses it, but
    // ILC binds its dispatch fallback by name.
    public unsafe interface IDynamicInterfaceCastable
    {
        internal static System.IntPtr GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
        {
            Cowbird.Runtime.RuntimePanic.Fail("IDynamicInterfaceCastable is not supported");
            return default;
        }
    }
}
