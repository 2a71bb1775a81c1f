using Cowbird.Runtime;
using Internal.Runtime;

namespace System
{
    // A delegate is an object holding a target and a code pointer. ILC generates
    // the Invoke stubs and calls the Initialize* methods below when a delegate is
    // created; it binds the four fields, the nested Wrapper type and GetThunk by name.
    //
    // Multicast (`+=`): Combine makes a new delegate of the same type whose
    // _helperObject is the invocation list (Wrapper[]), _extraFunctionPointerOrData
    // its length, and _functionPointer ILC's multicast thunk for that type, which
    // calls every delegate in the list in order and returns the last result.
    public abstract class Delegate
    {
#pragma warning disable 649, 169
        internal object _firstParameter;
        internal object _helperObject;
        internal IntPtr _extraFunctionPointerOrData;
        internal IntPtr _functionPointer;
#pragma warning restore 649, 169

        // DelegateThunkKind.MulticastThunk in ILC.
        private const int MulticastThunk = 0;

        // One entry of an invocation list (ILC's multicast thunk reads Value).
        internal struct Wrapper
        {
            internal Delegate Value;
        }

        // Delegate to an instance method: `target.Method`.
        private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }

        // Delegate to a static method, called through a thunk that drops `this`.
        private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }

        // Delegate to a static method whose first argument is bound (extension method).
        private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
            _helperObject = firstParameter;
        }

        // ILC overrides this in every delegate type to hand out its invoke thunks.
        protected virtual IntPtr GetThunk(int whichThunk) => IntPtr.Zero;

        // The invocation list of a multicast delegate, or null for a single one.
        private unsafe Wrapper[] InvocationList
        {
            get
            {
                object helper = _helperObject;
                if ((object)helper != null && helper.m_pMethodTable == MethodTable.Of<Wrapper[]>())
                    return (Wrapper[])helper;
                return null;
            }
        }

        private int InvocationCount => (object)InvocationList == null ? 1 : (int)_extraFunctionPointerOrData;

        private Delegate InvocationAt(int index) => (object)InvocationList == null ? this : InvocationList[index].Value;

        // `a + b`: a delegate calling a's targets, then b's. Null operands are ignored.
        public static Delegate Combine(Delegate a, Delegate b)
        {
            if ((object)a == null)
                return b;
            if ((object)b == null)
                return a;
            int countA = a.InvocationCount;
            Wrapper[] list = new Wrapper[checked(countA + b.InvocationCount)];
            for (int i = 0; i < countA; i++)
                list[i].Value = a.InvocationAt(i);
            for (int i = countA; i < list.Length; i++)
                list[i].Value = b.InvocationAt(i - countA);
            return NewMulticast(a, list, list.Length);
        }

        // `source - value`: removes the last occurrence of the single delegate `value`.
        public static Delegate Remove(Delegate source, Delegate value)
        {
            if ((object)source == null || (object)value == null)
                return source;
            if ((object)value.InvocationList != null)
                RuntimePanic.Fail("Delegate.Remove: removing a multicast delegate is not supported");
            int count = source.InvocationCount;
            int found = -1;
            for (int i = count - 1; i >= 0 && found < 0; i--)
                if (SameTarget(source.InvocationAt(i), value))
                    found = i;
            if (found < 0)
                return source;
            if (count == 1)
                return null;
            if (count == 2)
                return source.InvocationAt(1 - found);
            Wrapper[] list = new Wrapper[count - 1];
            for (int i = 0, j = 0; i < count; i++)
                if (i != found)
                    list[j++].Value = source.InvocationAt(i);
            return NewMulticast(source, list, list.Length);
        }

        // A new delegate of `template`'s type that invokes `list`.
        private static unsafe Delegate NewMulticast(Delegate template, Wrapper[] list, int count)
        {
            if (template.m_pMethodTable != list[count - 1].Value.m_pMethodTable)
                RuntimePanic.Fail("Delegate.Combine: delegates of different types");
            Delegate result = (Delegate)ObjectAllocator.New(template.m_pMethodTable);
            result._helperObject = list;
            result._extraFunctionPointerOrData = (IntPtr)count;
            result._functionPointer = template.GetThunk(MulticastThunk);
            result._firstParameter = result;
            if (result._functionPointer == IntPtr.Zero)
                RuntimePanic.Fail("Delegate.Combine: no multicast thunk for this delegate type");
            return result;
        }

        // Two single delegates call the same method on the same target. A static
        // method's delegate has itself as _firstParameter, so compare the method only.
        private static bool SameTarget(Delegate a, Delegate b)
        {
            if (a._functionPointer != b._functionPointer || a._extraFunctionPointerOrData != b._extraFunctionPointerOrData)
                return false;
            bool aStatic = (object)a._firstParameter == (object)a;
            bool bStatic = (object)b._firstParameter == (object)b;
            if (aStatic || bStatic)
                return aStatic && bStatic && (object)a._helperObject == (object)b._helperObject;
            return (object)a._firstParameter == (object)b._firstParameter;
        }
    }

    // Every C# delegate type derives from it.
    public abstract class MulticastDelegate : Delegate { }
}
