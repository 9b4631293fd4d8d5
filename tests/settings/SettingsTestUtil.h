#pragma once
// Shared by the settings tests: QSettings kept away from the user's real settings, and a private JACK
// server (dummy driver) as the MIDI system, so port lists and routing are real on any machine.

#include "playback/JackServerProcess.h"
#include "playback/PlaybackError.h"

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <string>

namespace continuo::test {

/// Test-mode settings (~/.qttest/…), emptied. Fails the test when QSettings would write elsewhere.
inline void useTestSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationDomain("continuo.app");
    QCoreApplication::setApplicationName("continuo-settings-test");
    QSettings s;
    QVERIFY2(s.fileName().contains("/.qttest/"), qPrintable(s.fileName()));
    s.clear();
    s.sync();
}

/// Before any ALSA or JACK call in the process: ALSA gets an empty configuration (no sequencer, so the
/// studio's "auto" MIDI system is JACK on every machine) and a JACK server of our own is started.
class PrivateJack {
public:
    /// `name`: a fixed server name per test program. JACK keeps 8 server slots in /dev/shm and reclaims a
    /// dead server's slot only for a server of the same name, so a unique name per run would leak a slot
    /// whenever a run is killed before it stops its server.
    PrivateJack(QTemporaryDir& dir, const std::string& name) {
        const QString emptyConf = dir.filePath("empty-alsa.conf");
        QFile f(emptyConf);
        if (f.open(QIODevice::WriteOnly)) f.close();
        qputenv("ALSA_CONFIG_PATH", emptyConf.toLocal8Bit());
        playback::JackServerProcess::Options o;
        o.period = 1024; // no timing is measured here: a long period survives a starved, loaded machine
        o.name = name;
        server_ = std::make_unique<playback::JackServerProcess>(o); // throws PlaybackError
        qputenv("JACK_DEFAULT_SERVER", QByteArray::fromStdString(server_->name()));
    }

private:
    std::unique_ptr<playback::JackServerProcess> server_;
};

} // namespace continuo::test
