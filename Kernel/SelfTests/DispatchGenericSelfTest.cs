using Cowbird.Kernel.Boot;
using Cowbird.Runtime.Dispatch;

namespace Cowbird.Kernel.SelfTests
{
    // Generic interfaces through the resolver: IStore<int> called from exact
    // code, IStore<string> called from shared generic code (the cell comes from
    // the generic dictionary), with a generic class whose shared implementation
    // sits in the sealed vtable, and five or more implementors of each.
    public sealed class DispatchGenericSelfTest : SelfTest
    {
        public override string Name => "dispatch-generic";

        private interface IStore<T>
        {
            T Get();
            void Put(T value);
        }

        private sealed class Store<T> : IStore<T>
        {
            private T _value;
            public T Get() => _value;
            public void Put(T value) { _value = value; }
        }

        private sealed class DoublingIntStore : IStore<int>
        {
            private int _value;
            public int Get() => _value * 2;
            public void Put(int value) { _value = value; }
        }

        private sealed class ConstantIntStore : IStore<int>
        {
            public int Get() => 1000;
            public void Put(int value) { }
        }

        private class NegatingIntStore : IStore<int>
        {
            private int _value;
            public int Get() => -_value;
            public void Put(int value) { _value = value; }
        }

        private sealed class DerivedNegatingIntStore : NegatingIntStore { }

        private sealed class LastStringStore : IStore<string>
        {
            private string _value;
            public string Get() => _value;
            public void Put(string value) { _value = value; }
        }

        private sealed class FixedStringStore : IStore<string>
        {
            public string Get() => "fixed";
            public void Put(string value) { }
        }

        private sealed class FirstStringStore : IStore<string>
        {
            private string _value;
            public string Get() => _value;
            public void Put(string value) { if ((object)_value == null) _value = value; }
        }

        private sealed class NullStringStore : IStore<string>
        {
            public string Get() => null;
            public void Put(string value) { }
        }

        // Shared canonical code (T = string): the interface cell comes from the dictionary.
        private static T RoundTrip<T>(IStore<T> store, T first, T second)
        {
            store.Put(first);
            store.Put(second);
            return store.Get();
        }

        public override bool Run(BootInfo bootInfo)
        {
            ulong resolutionsBefore = InterfaceDispatch.Resolutions;
            IStore<int>[] ints = { new Store<int>(), new DoublingIntStore(), new ConstantIntStore(), new NegatingIntStore(), new DerivedNegatingIntStore() };
            int intSum = 0;
            for (int i = 0; i < ints.Length; i++)
            {
                ints[i].Put(i + 1);
                intSum += ints[i].Get();
            }
            bool ok = Check(intSum == 1 + 4 + 1000 - 4 - 5, "IStore<int> from an exact call site, five implementors");

            IStore<string>[] strings = { new Store<string>(), new LastStringStore(), new FixedStringStore(), new FirstStringStore(), new NullStringStore() };
            string[] expected = { "b", "b", "fixed", "a", null };
            bool stringsOk = true;
            for (int i = 0; i < strings.Length; i++)
                stringsOk &= string.Equals(RoundTrip(strings[i], "a", "b"), expected[i]);
            ok &= Check(stringsOk, "IStore<string> from shared generic code, five implementors");
            ok &= Check(InterfaceDispatch.Resolutions > resolutionsBefore, "the calls went through the dispatch resolver");
            return ok;
        }
    }
}
