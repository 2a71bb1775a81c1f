namespace Cowbird.Kernel.Diagnostics
{
    // Turns ILC's symbol names back into C# names. ILC names a method
    //   <assembly>_<namespace, '.' as '_'>_<Type>__<Method>
    // e.g. kernel_Cowbird_Kernel_SelfTests_NullDereferenceSelfTest__Run, and
    // kernel_System_Exception___ctor_0 for an overloaded constructor. So: drop
    // the assembly prefix, the first "__" separates type from method, '_' in the
    // type part is '.', a '_' starting the method is the '.' of .ctor/.cctor.
    // Generic arguments (<...>) are copied as they are; `Box_1<Int32>` (arity
    // 1) becomes Box`1<Int32>. Other names (assembly labels, runtime aliases
    // like RhpNewFast) are printed unchanged.
    public static unsafe class SymbolName
    {
        // The kernel assembly's name (Kernel.csproj AssemblyName): ILC's prefix.
        private const string AssemblyPrefix = "kernel_";

        // Writes the readable form of the NUL-terminated mangled `name`.
        public static void Write(byte* name)
        {
            int length = Length(name);
            int typeEnd = StartsWith(name, AssemblyPrefix) ? FindTypeMethodSeparator(name, length) : -1;
            if (typeEnd < 0)
            {
                KernelConsole.WriteAscii(name, length);
                return;
            }
            WriteTypePart(name + AssemblyPrefix.Length, typeEnd - AssemblyPrefix.Length);
            KernelConsole.Write('.');
            byte* method = name + typeEnd + 2;
            int methodLength = length - typeEnd - 2;
            if (methodLength > 0 && method[0] == '_')
            {
                KernelConsole.Write('.');
                method++;
                methodLength--;
            }
            KernelConsole.WriteAscii(method, methodLength);
        }

        // The namespace and type: '_' -> '.', except inside generic arguments and
        // before an arity that a '<' follows.
        private static void WriteTypePart(byte* text, int length)
        {
            int depth = 0;
            for (int i = 0; i < length; i++)
            {
                byte c = text[i];
                if (c == '<')
                    depth++;
                else if (c == '>')
                    depth--;
                if (c == '_' && depth == 0)
                    KernelConsole.Write(IsArity(text, i + 1, length) ? '`' : '.');
                else
                    KernelConsole.Write((char)c);
            }
        }

        // True when text[start..] is digits followed by '<'.
        private static bool IsArity(byte* text, int start, int length)
        {
            int i = start;
            while (i < length && text[i] >= '0' && text[i] <= '9')
                i++;
            return i > start && i < length && text[i] == '<';
        }

        // Index of the first "__" outside generic arguments, after the prefix; -1 if none.
        private static int FindTypeMethodSeparator(byte* name, int length)
        {
            int depth = 0;
            for (int i = AssemblyPrefix.Length; i + 1 < length; i++)
            {
                if (name[i] == '<')
                    depth++;
                else if (name[i] == '>')
                    depth--;
                else if (depth == 0 && name[i] == '_' && name[i + 1] == '_')
                    return i;
            }
            return -1;
        }

        // True when the NUL-terminated `name` starts with `prefix`.
        public static bool StartsWith(byte* name, string prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
                if (name[i] != prefix[i])
                    return false;
            return true;
        }

        // True when the NUL-terminated `name` is exactly `text`.
        public static bool IsExactly(byte* name, string text) => StartsWith(name, text) && name[text.Length] == 0;

        private static int Length(byte* name)
        {
            int length = 0;
            while (name[length] != 0)
                length++;
            return length;
        }
    }
}
