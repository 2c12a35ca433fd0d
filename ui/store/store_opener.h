#pragma once
// Opening a store for the window: checks it is a Vigil store this build can
// read, then opens the process's one writer (WriteQueue) for ingest. Blocking
// (the writer may wait out another process's lock): call it off the UI thread.

#include "store/store_error.h"

#include <QString>

#include <memory>
#include <optional>

namespace vigil {
class WriteQueue;
}

namespace vigil::ui {

enum class OpenMode {
    Existing,        // a missing store is an error (NotFound)
    CreateIfMissing, // make an empty store when there is none
    ReadOnly,        // never write: no WriteQueue (benchmarks, read-only media)
};

struct StoreOpenFailure
{
    QString path;
    StoreErrorKind kind = StoreErrorKind::Other;
    QString message; // the store's own words, naming the path and the reason
};

struct OpenedStore
{
    QString path;
    std::shared_ptr<WriteQueue> writer; // null when read-only
    bool readOnly = false;
    QString readOnlyReason; // why there is no writer
};

struct StoreOpenResult
{
    std::optional<OpenedStore> store;
    std::optional<StoreOpenFailure> failure;
    bool ok() const { return store.has_value(); }
};

StoreOpenResult openStore(const QString &path, OpenMode mode);

// What the window tells the operator about a failure, in plain words.
struct StoreFailureText
{
    QString title;       // "This file is not a Vigil store"
    QString explanation; // what it means and what to do
    bool offerCreate = false; // a new store can be made at the path
};
StoreFailureText describeStoreFailure(const StoreOpenFailure &failure);

} // namespace vigil::ui
