namespace System.Runtime
{
    // `[RuntimeExport("name")]` on a static method makes ILC emit it under that
    // native symbol, so assembly code (or the linker) can call it.
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { }
    }

    // `[RuntimeImport("name")]` on a `static extern` method binds it to a native
    // symbol: a plain SysV call with no marshalling or GC transition.
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string entry) { }
        public RuntimeImportAttribute(string dllName, string entry) { }
    }
}
