# The type names users see, as PowerShell itself reports them: every command's declared output types, the types the
# module's format and type files name, and the type each command's output actually carries. They all live in one
# namespace, WandbRunOps.Model, because scripts, format data and -is tests spell them in full. The values inside
# those objects (maps, lists and a map's entries) are the value model, WandbRunOps.Values.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:moduleFolder = (Get-Module WandbRunOps).ModuleBase
    $script:outsideModel = {
        param([string[]] $Names)
        @($Names | Where-Object { $_ -notlike 'WandbRunOps.Model.*' })
    }
}

Describe 'Output type names' {
    It 'declares every output type of every command in WandbRunOps.Model' {
        $declared = @(Get-Command -Module WandbRunOps -CommandType Cmdlet | ForEach-Object OutputType | ForEach-Object Name |
            Where-Object { $_ -ne 'System.Void' })
        $declared.Count | Should -BeGreaterOrEqual 9
        & $outsideModel $declared | Should -BeNullOrEmpty
    }

    It 'names in the format file only WandbRunOps.Model types, and the value model''s' {
        [xml] $format = Get-Content -LiteralPath (Join-Path $moduleFolder 'WandbRunOps.Format.ps1xml') -Raw
        $named = @($format.SelectNodes('//ViewSelectedBy/TypeName') | ForEach-Object InnerText)
        $named | Should -Contain 'WandbRunOps.Model.RunRuntime'
        & $outsideModel ($named | Where-Object { $_ -notlike 'WandbRunOps.Values.*' }) | Should -BeNullOrEmpty
    }

    It 'names in the types file only WandbRunOps.Model types' {
        [xml] $types = Get-Content -LiteralPath (Join-Path $moduleFolder 'WandbRunOps.Types.ps1xml') -Raw
        $named = @($types.SelectNodes('/Types/Type/Name') | ForEach-Object InnerText)
        $named | Should -Not -BeNullOrEmpty
        & $outsideModel $named | Should -BeNullOrEmpty
    }

    It 'gives each command''s output the type name it declares' {
        $run = Get-WandbRun -Path $wandb -Id fin0001a
        $reference = Get-WandbRun -Path $wandb -Id fin0002b
        $seen = [ordered]@{
            'Get-WandbRun'          = $run
            'Get-RunConfig'         = $run | Get-RunConfig
            'Get-RunSummary'        = $run | Get-RunSummary
            'Get-RunHistory'        = @($run | Get-RunHistory)[0]
            'Get-RunLoggedArtifact' = @($run | Get-RunLoggedArtifact)[0]
            'Measure-RunRuntime'    = $run | Measure-RunRuntime
            'Measure-RunRuntime -Statistics' = $run | Measure-RunRuntime -Statistics
            'Compare-RunConfig'     = @(Compare-RunConfig -ReferenceRun $reference -DifferenceRun $run)[0]
        }
        foreach ($command in $seen.Keys) {
            $output = @($seen[$command])
            $output | Should -Not -BeNullOrEmpty -Because "$command outputs something"
            $declared = @((Get-Command ($command -split ' ')[0]).OutputType.Name)
            $output[0].PSObject.TypeNames[0] | Should -BeLike 'WandbRunOps.Model.*' -Because "$command outputs a WandbRunOps.Model type"
            $declared | Should -Contain $output[0].PSObject.TypeNames[0] -Because "$command declares what it outputs"
        }
    }
}
