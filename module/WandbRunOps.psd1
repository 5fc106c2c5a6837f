@{
    RootModule           = 'bin/WandbRunOps.dll'
    # Imported before the root module: on PowerShell 7.6 (Linux x64) it has the module's assemblies load from the
    # copies precompiled for that runtime (bin/net10.0-linux-x64); elsewhere it does nothing.
    NestedModules        = @('bin/WandbRunOps.ReadyToRun.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5d3c8f0e-7a51-4d2b-9f3e-1c6b2a4e8d90'
    Author               = 'WandbRunOps contributors'
    CompanyName          = 'WandbRunOps'
    Copyright            = '(c) 2026 WandbRunOps contributors. MIT License.'
    Description          = 'Query Weights & Biases experiment runs from PowerShell: runs, configs, summaries, artifacts and runtimes, from local wandb run folders (no server or key needed) or the W&B API, as typed objects that compose with Where-Object, Sort-Object, Group-Object and Measure-Object.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('WandbRunOps.Format.ps1xml')
    TypesToProcess       = @('WandbRunOps.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-WandbRun'
        'Get-RunConfig'
        'Get-RunSummary'
        'Get-RunHistory'
        'Get-RunSystemMetric'
        'Get-RunMetadata'
        'Get-RunLog'
        'Get-RunLoggedArtifact'
        'Get-RunUsedArtifact'
        'Measure-RunRuntime'
        'Compare-RunConfig'
        'Set-WandbRun'
        'Stop-WandbRun'
        'Remove-WandbRun'
        'Wait-WandbRun'
        'Get-WandbSweep'
        'Get-WandbProject'
        'Get-WandbArtifact'
        'Get-RunFile'
        'Save-RunFile'
        'Save-WandbArtifact'
        'Connect-Wandb'
        'Disconnect-Wandb'
        'Get-WandbConnection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            ProjectUri   = 'https://github.com/wandbrunops/WandbRunOps'
            LicenseUri   = 'https://github.com/wandbrunops/WandbRunOps/blob/main/LICENSE'
            Tags         = @('wandb', 'WeightsAndBiases', 'MLOps', 'MachineLearning', 'Experiments', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'Local run folders and the W&B API: Get-WandbRun, Get-RunConfig, Get-RunSummary, Get-RunLoggedArtifact, Get-RunUsedArtifact, Measure-RunRuntime, Compare-RunConfig, Connect-Wandb, Disconnect-Wandb, Get-WandbConnection.'
        }
    }
}
