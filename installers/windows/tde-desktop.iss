; Inno Setup script for TDE Desktop: a per-user install that needs no administrator.
;
;   iscc /DAppVersion=0.1.0 installers\windows\tde-desktop.iss
;
; Run from the repository root after PyInstaller has made dist\tde-desktop\ (see
; docs/INSTALLERS.md). AppVersion is passed in by the CI workflow, which reads it from
; tde_desktop/__init__.py; the fallback below only keeps a hand build from failing.
; Output: dist\tde-desktop-<version>-windows-x64-setup.exe

#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
#endif
#define AppName "TDE Desktop"
#define AppExe "tde-desktop.exe"
#define Bundle "..\..\dist\tde-desktop"

[Setup]
; The AppId identifies the app to Windows across versions: never change it.
AppId={{6F1C2D4B-7A3E-4C58-9B7E-2D0A5E31C9F4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=tde-desktop
VersionInfoVersion={#AppVersion}
; Per-user: installs under %LOCALAPPDATA%\Programs, shortcuts in the user's Start menu.
; A facilitator on a locked-down library laptop can install without an admin password.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=tde-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\tde-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; The app may be running when it is updated or removed.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "associate"; Description: "{cm:AssocFileExtension,{#AppName},.tdepack}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder app: tde-desktop.exe, tde.exe and _internal\.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; Per-user file association (HKCU\Software\Classes): double-clicking a .tdepack opens it.
Root: HKA; Subkey: "Software\Classes\.tdepack"; ValueType: string; ValueName: ""; ValueData: "TDEDesktop.Pack"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\TDEDesktop.Pack"; ValueType: string; ValueName: ""; ValueData: "TDE workshop pack"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\TDEDesktop.Pack\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\TDEDesktop.Pack\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: associate

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only what was installed. Workshop packs, settings, backups
; and logs are the facilitator's data and are left in place on purpose.
